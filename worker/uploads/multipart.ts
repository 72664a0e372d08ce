/**
 * Reads a multipart/form-data body under a byte cap that holds before the body is read:
 * a declared Content-Length above the cap is refused unread, and the stream is counted as
 * it arrives (a missing or lying Content-Length cannot smuggle more bytes past the cap).
 */
import { ApiError } from "../core/errors";
import { MediaError } from "../media/errors";
import { UPLOAD_POLICY } from "../media/policy";

/** Room for the multipart boundaries, part headers and small text fields around the file. */
export const MULTIPART_OVERHEAD_BYTES = 64 * 1024;
/** The largest upload request body: the file cap plus multipart overhead. */
export const MAX_UPLOAD_BODY_BYTES = UPLOAD_POLICY.maxBytes + MULTIPART_OVERHEAD_BYTES;

export interface MultipartFile {
  bytes: Uint8Array;
  /** The client's file name, for display defaults only: never used for type or storage. */
  filename: string;
}

export interface MultipartUpload {
  file: MultipartFile;
  /** Every text field of the form (the last value wins for repeated names). */
  fields: Record<string, string>;
}

export interface ReadOptions {
  /** Cap on the whole request body, default MAX_UPLOAD_BODY_BYTES. */
  maxBodyBytes?: number;
  /** The file cap (413), default UPLOAD_POLICY.maxBytes. */
  maxFileBytes?: number;
  /** The form field carrying the file, default "file". */
  field?: string;
}

const MULTIPART = /^multipart\/form-data\s*;.*boundary=/i;

function tooLarge(maxFileBytes: number): MediaError {
  const mb = Math.floor(maxFileBytes / (1024 * 1024));
  return new MediaError("too_large", `The upload is too large: images may be at most ${mb} MB`, { maxBytes: maxFileBytes });
}

/** Stops the stream (and so the parser) as soon as more than `max` bytes have arrived. */
function counted(body: ReadableStream<Uint8Array>, max: number, onOverflow: () => void): ReadableStream<Uint8Array> {
  let seen = 0;
  return body.pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        seen += chunk.byteLength;
        if (seen > max) {
          onOverflow();
          controller.error(new Error("upload body over the cap"));
          return;
        }
        controller.enqueue(chunk);
      },
    }),
  );
}

/**
 * The one `file` part and the text fields of a multipart upload.
 * 415 for a body that is not multipart/form-data, 413 over the cap, 400 for a malformed
 * form or a missing, empty or repeated file part.
 */
export async function readMultipartUpload(request: Request, options: ReadOptions = {}): Promise<MultipartUpload> {
  const maxBodyBytes = options.maxBodyBytes ?? MAX_UPLOAD_BODY_BYTES;
  const maxFileBytes = options.maxFileBytes ?? UPLOAD_POLICY.maxBytes;
  const field = options.field ?? "file";

  const contentType = request.headers.get("Content-Type") ?? "";
  if (!MULTIPART.test(contentType)) {
    throw new ApiError("UNSUPPORTED_MEDIA_TYPE", `Send the image as multipart/form-data with a "${field}" part`);
  }
  const declared = request.headers.get("Content-Length");
  if (declared !== null && /^\d+$/.test(declared.trim()) && Number(declared) > maxBodyBytes) throw tooLarge(maxFileBytes);
  if (!request.body) throw new ApiError("VALIDATION_ERROR", `The form has no "${field}" part`);

  let overflowed = false;
  const body = counted(request.body, maxBodyBytes, () => {
    overflowed = true;
  });
  let form: FormData;
  try {
    form = await new Response(body, { headers: { "Content-Type": contentType } }).formData();
  } catch {
    if (overflowed) throw tooLarge(maxFileBytes);
    throw new ApiError("VALIDATION_ERROR", "The multipart form could not be read; it may be malformed or cut off");
  }

  const files = form.getAll(field);
  const fields: Record<string, string> = {};
  for (const [name, value] of form.entries()) if (typeof value === "string") fields[name] = value;
  if (files.length === 0) throw new ApiError("VALIDATION_ERROR", `The form has no "${field}" part; attach the image as "${field}"`);
  if (files.length > 1) throw new ApiError("VALIDATION_ERROR", `Send exactly one "${field}" part`);
  const file = files[0]!;
  if (typeof file === "string") throw new ApiError("VALIDATION_ERROR", `"${field}" must be a file, not a text field`);
  if (file.size === 0) throw new ApiError("VALIDATION_ERROR", "The file is empty");
  if (file.size > maxFileBytes) throw tooLarge(maxFileBytes);
  return { file: { bytes: new Uint8Array(await file.arrayBuffer()), filename: file.name }, fields };
}
