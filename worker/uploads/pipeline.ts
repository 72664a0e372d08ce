/** An image upload from request to R2 in one call: rate limit, bounded multipart read, validate, re-encode, store. */
import { hitLimit } from "../http/rate-limit";
import type { UploadPolicy } from "../media/policy";
import { type StoredImage, prepareImage, storeImage } from "./image";
import { type ReadOptions, readMultipartUpload } from "./multipart";

/** Per user, across apps: uploads cost decode time and storage. */
export const UPLOADS_PER_HOUR = 120;

export interface AcceptOptions extends ReadOptions {
  userId: string;
  projectId: string;
  kind: string;
  /** Default: a random UUID. */
  id?: string;
  policy?: UploadPolicy;
}

export interface AcceptedUpload {
  stored: StoredImage;
  /** The form's text fields, for the caller to validate. */
  fields: Record<string, string>;
  filename: string;
}

/**
 * Accepts one image upload. `validateFields` runs on the text fields before any image work,
 * so a bad form is refused without decoding anything.
 */
export async function acceptImageUpload<F>(
  env: Pick<Env, "DB" | "FILES">,
  request: Request,
  options: AcceptOptions,
  validateFields: (fields: Record<string, string>) => F,
): Promise<AcceptedUpload & { valid: F }> {
  await hitLimit(env.DB, { key: `upload:${options.userId}`, limit: UPLOADS_PER_HOUR, windowSeconds: 3600 });
  const { file, fields } = await readMultipartUpload(request, options);
  const valid = validateFields(fields);
  const prepared = await prepareImage(file.bytes, options.policy);
  const place = { userId: options.userId, projectId: options.projectId, kind: options.kind, id: options.id ?? crypto.randomUUID() };
  const stored = await storeImage(env.FILES, place, prepared);
  return { stored, fields, filename: file.filename, valid };
}
