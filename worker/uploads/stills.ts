/**
 * Plain project uploads (pose backgrounds, loop stills): stored by the upload pipeline under
 * `<project>/<kind>/<id>.<ext>` and found again by id under the caller's own prefix, so another
 * user's id is simply not there (404). No table: the R2 key is the record.
 */
import { z } from "zod";
import { notFound } from "../core/errors";
import { projectPrefix } from "../storage/keys";
import { signFileUrl } from "../storage/signed-url";
import type { StoredImage } from "./image";

export const UploadView = z.object({ id: z.string(), imageUrl: z.string(), thumbnailUrl: z.string(), width: z.number(), height: z.number() });
export type UploadView = z.infer<typeof UploadView>;

export async function uploadView(secret: string, stored: StoredImage): Promise<UploadView> {
  const [imageUrl, thumbnailUrl] = await Promise.all([signFileUrl(secret, stored.image.key), signFileUrl(secret, stored.thumbnail.key)]);
  return { id: stored.id, imageUrl, thumbnailUrl, width: stored.image.width, height: stored.image.height };
}

/** The R2 key of the user's upload `id` of this kind in this project, or 404 naming `what`. */
export async function findUploadKey(files: R2Bucket, place: { userId: string; projectId: string; kind: string; id: string }, what: string): Promise<string> {
  const listing = await files.list({ prefix: `${projectPrefix(place.userId, place.projectId)}${place.kind}/${place.id}.`, limit: 1 });
  const key = listing.objects[0]?.key;
  if (!key) throw notFound(what);
  return key;
}
