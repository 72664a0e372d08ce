/**
 * A carousel project's positions and their candidate images, always scoped to the owner:
 * reading, replacing the list of positions, and the views with signed thumbnail URLs.
 */
import { and, asc, eq, inArray } from "drizzle-orm";
import { z } from "zod";
import type { Config } from "../../config/config";
import type { Db } from "../../db/client";
import { carouselImages, carouselPositions } from "../../db/carousel-mix";
import { notFound } from "../../core/errors";
import { signFileUrl } from "../../storage/signed-url";
import { deleteImage } from "../../uploads/image";
import { Caption, Captions, type PutSlides } from "./schema";

export type PositionRow = typeof carouselPositions.$inferSelect;
export type ImageRow = typeof carouselImages.$inferSelect;

export interface Position {
  row: PositionRow;
  captions: Caption[];
  images: ImageRow[];
}

export const ImageView = z.object({ id: z.string(), thumbnailUrl: z.string(), width: z.number().int(), height: z.number().int() });
export const PositionView = z.object({ id: z.string(), index: z.number().int(), images: z.array(ImageView), captions: z.array(Caption) });

/** The captions column is JSON this module wrote; a row that does not parse reads as no captions. */
function parseCaptions(raw: string): Caption[] {
  try {
    const parsed = Captions.safeParse(JSON.parse(raw));
    return parsed.success ? parsed.data : [];
  } catch {
    return [];
  }
}

export async function imageView(config: Config, image: ImageRow): Promise<z.infer<typeof ImageView>> {
  return { id: image.id, thumbnailUrl: await signFileUrl(config.FILE_URL_SECRET, image.thumbnailKey), width: image.width, height: image.height };
}

export async function positionViews(config: Config, positions: Position[]): Promise<z.infer<typeof PositionView>[]> {
  return Promise.all(positions.map(async (p) => ({ id: p.row.id, index: p.row.index, images: await Promise.all(p.images.map((i) => imageView(config, i))), captions: p.captions })));
}

/** The project's positions in order, each with its images (oldest first) and captions. */
export async function loadPositions(database: Db, userId: string, projectId: string): Promise<Position[]> {
  const [rows, images] = await Promise.all([
    database
      .select()
      .from(carouselPositions)
      .where(and(eq(carouselPositions.userId, userId), eq(carouselPositions.projectId, projectId)))
      .orderBy(asc(carouselPositions.index)),
    database
      .select()
      .from(carouselImages)
      .where(and(eq(carouselImages.userId, userId), eq(carouselImages.projectId, projectId)))
      .orderBy(asc(carouselImages.createdAt), asc(carouselImages.id)),
  ]);
  return rows.map((row) => ({ row, captions: parseCaptions(row.captions), images: images.filter((i) => i.positionId === row.id) }));
}

/** The user's position in the project, or 404. */
export async function ownedPosition(database: Db, userId: string, projectId: string, positionId: string): Promise<PositionRow> {
  const row = await database
    .select()
    .from(carouselPositions)
    .where(and(eq(carouselPositions.id, positionId), eq(carouselPositions.userId, userId), eq(carouselPositions.projectId, projectId)))
    .get();
  if (!row) throw notFound("Slide position");
  return row;
}

/**
 * Makes the project's positions exactly the listed ones, in order: listed ids keep their
 * images, new entries get new positions, unlisted positions go with their images' files.
 * An id that is not one of this project's positions is a 404, and nothing changes.
 */
export async function replacePositions(database: Db, files: R2Bucket, userId: string, projectId: string, body: z.infer<typeof PutSlides>): Promise<void> {
  const current = await loadPositions(database, userId, projectId);
  const known = new Set(current.map((p) => p.row.id));
  for (const p of body.positions) if (p.id !== undefined && !known.has(p.id)) throw notFound("Slide position");
  const kept = new Set(body.positions.flatMap((p) => (p.id ? [p.id] : [])));
  const dropped = current.filter((p) => !kept.has(p.row.id));
  // Files first: if this fails nothing in D1 changed and the PUT can be repeated.
  await deleteImage(
    files,
    dropped.flatMap((p) => p.images.flatMap((i) => [i.imageKey, i.thumbnailKey])),
  );
  const now = Date.now();
  await database.batch([
    database.delete(carouselPositions).where(and(eq(carouselPositions.userId, userId), inArray(carouselPositions.id, dropped.length > 0 ? dropped.map((p) => p.row.id) : [""]))),
    ...body.positions.map((p, index) =>
      p.id
        ? database
            .update(carouselPositions)
            .set({ index, captions: JSON.stringify(p.captions), updatedAt: now })
            .where(and(eq(carouselPositions.id, p.id), eq(carouselPositions.userId, userId)))
        : database.insert(carouselPositions).values({ id: crypto.randomUUID(), userId, projectId, index, captions: JSON.stringify(p.captions), createdAt: now, updatedAt: now }),
    ),
  ]);
}
