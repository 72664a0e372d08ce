/**
 * Avatars: ownership-scoped lookups, views with signed URLs, and the helpers other apps use
 * (the pose generator loads a user's avatar and its image bytes from here).
 */
import type { StoredImage } from "../../uploads/image";
import { and, eq, or, type SQL } from "drizzle-orm";
import { z } from "zod";
import type { Config } from "../../config/config";
import type { Db } from "../../db/client";
import { avatars, generationItems } from "../../db/schema";
import { notFound } from "../../core/errors";
import { idFromKey } from "../../http/idempotency";
import { signFileUrl } from "../../storage/signed-url";

export type AvatarRow = typeof avatars.$inferSelect;

export const AvatarView = z.object({
  id: z.string(),
  projectId: z.string(),
  name: z.string(),
  source: z.enum(["upload", "generated"]),
  width: z.number().int(),
  height: z.number().int(),
  contentType: z.string(),
  /** Signed /api/files URLs, valid for about an hour. */
  imageUrl: z.string(),
  thumbnailUrl: z.string(),
  generationId: z.string().nullable(),
  prompt: z.string().nullable(),
  presetId: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type AvatarView = z.infer<typeof AvatarView>;

export async function avatarView(config: Config, a: AvatarRow): Promise<AvatarView> {
  const [imageUrl, thumbnailUrl] = await Promise.all([signFileUrl(config.FILE_URL_SECRET, a.imageKey), signFileUrl(config.FILE_URL_SECRET, a.thumbnailKey)]);
  return {
    id: a.id,
    projectId: a.projectId,
    name: a.name,
    source: a.source,
    width: a.width,
    height: a.height,
    contentType: a.contentType,
    imageUrl,
    thumbnailUrl,
    generationId: a.generationId,
    prompt: a.prompt,
    presetId: a.presetId,
    createdAt: new Date(a.createdAt).toISOString(),
    updatedAt: new Date(a.updatedAt).toISOString(),
  };
}

/** Joins a generated avatar to the item that made it (the unique (generation, key) index). */
export const itemOfAvatar = and(eq(generationItems.generationId, avatars.generationId), eq(generationItems.key, avatars.itemKey));

/**
 * Uploads always count; a generated avatar only once its item completed (and was charged):
 * a failed or still-running item's row stays invisible. Use with a left join on itemOfAvatar.
 */
export const isVisible: SQL = or(eq(avatars.source, "upload"), eq(generationItems.status, "completed"))!;

/** The user's avatar, or 404: another user's avatar is indistinguishable from none. */
export async function loadOwnedAvatar(database: Db, userId: string, avatarId: string): Promise<AvatarRow> {
  const found = await database
    .select({ avatar: avatars })
    .from(avatars)
    .leftJoin(generationItems, itemOfAvatar)
    .where(and(eq(avatars.id, avatarId), eq(avatars.userId, userId), isVisible))
    .get();
  if (!found) throw notFound("Avatar");
  return found.avatar;
}

export interface AvatarImage {
  bytes: Uint8Array;
  /** PNG or JPEG: uploads are re-encoded to one of these. */
  contentType: string;
  width: number;
  height: number;
}

/** The avatar's re-encoded image bytes from R2, or null if the object is gone. */
export async function readAvatarImage(files: R2Bucket, avatar: Pick<AvatarRow, "imageKey" | "contentType" | "width" | "height">): Promise<AvatarImage | null> {
  const object = await files.get(avatar.imageKey);
  if (!object) return null;
  return { bytes: new Uint8Array(await object.arrayBuffer()), contentType: avatar.contentType, width: avatar.width, height: avatar.height };
}

/** Same generation + item → same avatar id, so a redelivered item can only write one row. */
export const generatedAvatarId = (userId: string, generationId: string, itemKey: string) => idFromKey(userId, "avatar", `${generationId}\n${itemKey}`);

/** The image columns of an avatar row, from an image the upload pipeline stored. */
export const imageColumns = (stored: StoredImage) => ({
  imageKey: stored.image.key,
  thumbnailKey: stored.thumbnail.key,
  contentType: stored.image.contentType,
  width: stored.image.width,
  height: stored.image.height,
  sizeBytes: stored.image.bytes,
});
