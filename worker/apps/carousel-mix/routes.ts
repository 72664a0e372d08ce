/**
 * Carousel Mix routes (mounted at /api/apps/carousel-mix): the project's slide positions,
 * their candidate images, the bundled fonts, and the signed ZIP links. Every lookup is
 * scoped to the signed-in user; another user's project, position or image is a 404.
 */
import { and, asc, count, eq } from "drizzle-orm";
import { Hono } from "hono";
import { z } from "zod";
import { db } from "../../db/client";
import { carouselImages } from "../../db/carousel-mix";
import { generationItems, generations } from "../../db/schema";
import { requireAuth } from "../../auth/middleware";
import type { AppEnv } from "../../http/context";
import { ApiError, notFound } from "../../core/errors";
import { doc } from "../../http/openapi";
import { json, params, query } from "../../http/validate";
import { ownedProject } from "../../projects/service";
import { generationPrefix } from "../../storage/keys";
import { FileQuery } from "../../storage/routes";
import { verifyFileSignature } from "../../storage/signed-url";
import { deleteImage } from "../../uploads/image";
import { acceptImageUpload } from "../../uploads/pipeline";
import { imageColumns } from "../avatar-creator/avatars";
import { CAROUSEL_APP_ID } from "./app";
import { countCombinations } from "./combinations";
import { ImageView, PositionView, imageView, loadPositions, ownedPosition, positionViews, replacePositions } from "./positions";
import { FONTS } from "./render/fonts";
import { MAX_IMAGES_PER_POSITION, PutSlides } from "./schema";
import { zipEntries, zipFilename, zipName, zipResponse, zipUrl } from "./zip";

const TAGS = ["carousel-mix"];
const Id = z.string().min(1).max(64);
const ProjectParams = z.object({ projectId: Id });
const PositionParams = ProjectParams.extend({ positionId: Id });
const ImageParams = PositionParams.extend({ imageId: Id });
const SlidesView = z.object({ positions: z.array(PositionView), combinations: z.number().int() });
const UploadForm = z.object({ file: z.file().describe("PNG, JPEG or WebP; at most 10 MB; 256–4096 px each side") });

async function slidesOf(c: { env: Env; var: AppEnv["Variables"] }, projectId: string) {
  const positions = await loadPositions(db(c.env.DB), c.var.user.id, projectId);
  const combinations = positions.length === 0 ? 0 : countCombinations(positions.map((p) => ({ images: p.images.length, captions: p.captions.length })));
  return { positions: await positionViews(c.var.config, positions), combinations };
}

const outputsOf = (g: { userId: string; projectId: string; id: string }) => generationPrefix(g.userId, g.projectId, g.id);

const imagesIn = (database: ReturnType<typeof db>, positionId: string) =>
  database
    .select({ n: count() })
    .from(carouselImages)
    .where(eq(carouselImages.positionId, positionId))
    .get()
    .then((r) => r?.n ?? 0);

/** The caller's carousel generation with its items in order, or 404 (another user's is none). */
async function ownedCarouselGeneration(env: Env, userId: string, generationId: string) {
  const database = db(env.DB);
  const generation = await database
    .select()
    .from(generations)
    .where(and(eq(generations.id, generationId), eq(generations.userId, userId), eq(generations.appId, CAROUSEL_APP_ID)))
    .get();
  if (!generation) throw notFound("Generation");
  const items = await database.select().from(generationItems).where(eq(generationItems.generationId, generation.id)).orderBy(asc(generationItems.position));
  return { generation, items };
}

/** The carousel generation a signed ZIP link names, with its items in order. */
async function signedGeneration(env: Env, secret: string, generationId: string, itemKey: string, q: z.infer<typeof FileQuery>) {
  const check = await verifyFileSignature(secret, zipName(generationId, itemKey), q.exp, q.sig);
  if (check === "invalid") throw new ApiError("FORBIDDEN", "This download link is not valid");
  if (check === "expired") throw new ApiError("FORBIDDEN", "This download link has expired; reload the page for a fresh one");
  const database = db(env.DB);
  const generation = await database.select().from(generations).where(eq(generations.id, generationId)).get();
  if (!generation || generation.appId !== CAROUSEL_APP_ID) throw notFound("Generation");
  const items = await database.select().from(generationItems).where(eq(generationItems.generationId, generation.id)).orderBy(asc(generationItems.position));
  return { generation, items };
}

export const carouselMixRoutes = new Hono<AppEnv>()
  .get(
    "/fonts",
    doc({ summary: "The bundled caption fonts", tags: TAGS, response: z.object({ fonts: z.array(z.object({ id: z.string(), name: z.string(), license: z.string() })) }) }),
    requireAuth,
    (c) => c.json({ fonts: FONTS.map(({ id, name, license }) => ({ id, name, license })) }, 200),
  )
  .get(
    "/projects/:projectId/slides",
    doc({ summary: "The project's slide positions, images, captions and how many carousels they make", tags: TAGS, response: SlidesView }),
    requireAuth,
    params(ProjectParams),
    async (c) => {
      const project = await ownedProject(db(c.env.DB), c.var.user.id, c.req.valid("param").projectId, CAROUSEL_APP_ID);
      return c.json(await slidesOf(c, project.id), 200);
    },
  )
  .put(
    "/projects/:projectId/slides",
    doc({ summary: "Set the project's slide positions (2–10) and their captions (0–5 each); unlisted positions go with their images", tags: TAGS, response: SlidesView }),
    requireAuth,
    params(ProjectParams),
    json(PutSlides),
    async (c) => {
      const database = db(c.env.DB);
      const project = await ownedProject(database, c.var.user.id, c.req.valid("param").projectId, CAROUSEL_APP_ID);
      await replacePositions(database, c.env.FILES, c.var.user.id, project.id, c.req.valid("json"));
      return c.json(await slidesOf(c, project.id), 200);
    },
  )
  .post(
    "/projects/:projectId/slides/:positionId/images",
    doc({
      summary: "Upload a candidate image for a slide position (validated, re-encoded, thumbnailed; at most 8)",
      tags: TAGS,
      status: 201,
      body: UploadForm,
      bodyMediaType: "multipart/form-data",
      response: z.object({ image: ImageView }),
    }),
    requireAuth,
    params(PositionParams),
    async (c) => {
      const userId = c.var.user.id;
      const database = db(c.env.DB);
      const { projectId, positionId } = c.req.valid("param");
      const project = await ownedProject(database, userId, projectId, CAROUSEL_APP_ID);
      const position = await ownedPosition(database, userId, project.id, positionId);
      const full = () => new ApiError("UNPROCESSABLE", `A slide position holds at most ${MAX_IMAGES_PER_POSITION} images`, { maximum: MAX_IMAGES_PER_POSITION });
      if ((await imagesIn(database, position.id)) >= MAX_IMAGES_PER_POSITION) throw full();
      const id = crypto.randomUUID();
      const { stored } = await acceptImageUpload(c.env, c.req.raw, { userId, projectId: project.id, kind: "carousel", id }, () => null);
      const files = [stored.image.key, stored.thumbnail.key];
      try {
        const [row] = await database
          .insert(carouselImages)
          .values({
            id,
            userId,
            projectId: project.id,
            positionId: position.id,
            ...imageColumns(stored),
          })
          .returning();
        // Two uploads racing past the first check: the later one backs out.
        if ((await imagesIn(database, position.id)) > MAX_IMAGES_PER_POSITION) {
          await database.delete(carouselImages).where(eq(carouselImages.id, id));
          await deleteImage(c.env.FILES, files);
          throw full();
        }
        return c.json({ image: await imageView(c.var.config, row!) }, 201);
      } catch (e) {
        // No row points at the files (the position may have been removed meanwhile).
        await deleteImage(c.env.FILES, files).catch(() => undefined);
        throw e;
      }
    },
  )
  .delete(
    "/projects/:projectId/slides/:positionId/images/:imageId",
    doc({ summary: "Remove a candidate image and its files", tags: TAGS, status: 204 }),
    requireAuth,
    params(ImageParams),
    async (c) => {
      const userId = c.var.user.id;
      const database = db(c.env.DB);
      const { projectId, positionId, imageId } = c.req.valid("param");
      const image = await database
        .select()
        .from(carouselImages)
        .where(and(eq(carouselImages.id, imageId), eq(carouselImages.userId, userId), eq(carouselImages.projectId, projectId), eq(carouselImages.positionId, positionId)))
        .get();
      if (!image) throw notFound("Image");
      // Files first: if this fails the row stays and the delete can be retried.
      await deleteImage(c.env.FILES, [image.imageKey, image.thumbnailKey]);
      await database.delete(carouselImages).where(and(eq(carouselImages.id, image.id), eq(carouselImages.userId, userId)));
      return c.body(null, 204);
    },
  )
  .get(
    "/generations/:generationId/download",
    doc({ summary: "A signed link to the ZIP of every finished carousel, for a plain browser download", tags: TAGS, response: z.object({ zipUrl: z.string() }) }),
    requireAuth,
    params(z.object({ generationId: Id })),
    async (c) => {
      const { generation } = await ownedCarouselGeneration(c.env, c.var.user.id, c.req.valid("param").generationId);
      return c.json({ zipUrl: await zipUrl(c.var.config, generation.id, null) }, 200);
    },
  )
  .get(
    "/zips/:generationId",
    doc({ summary: "Every finished carousel of a generation as one streamed ZIP, through a signed link", tags: TAGS, auth: false }),
    params(z.object({ generationId: Id })),
    query(FileQuery),
    async (c) => {
      const { generation, items } = await signedGeneration(c.env, c.var.config.FILE_URL_SECRET, c.req.valid("param").generationId, "*", c.req.valid("query"));
      return zipResponse(c.env.FILES, outputsOf(generation), zipEntries(items, true), zipFilename(generation));
    },
  )
  .get(
    "/zips/:generationId/:itemKey",
    doc({ summary: "One carousel's slides as a streamed ZIP, through a signed link", tags: TAGS, auth: false }),
    params(z.object({ generationId: Id, itemKey: z.string().min(1).max(100) })),
    query(FileQuery),
    async (c) => {
      const { generationId, itemKey } = c.req.valid("param");
      const { generation, items } = await signedGeneration(c.env, c.var.config.FILE_URL_SECRET, generationId, itemKey, c.req.valid("query"));
      return zipResponse(
        c.env.FILES,
        outputsOf(generation),
        zipEntries(
          items.filter((i) => i.key === itemKey),
          false,
        ),
        zipFilename(generation, itemKey),
      );
    },
  );

/** GET /api/generations/:id/zip (mounted beside the generic generation routes): the whole generation as one ZIP. */
export const carouselGenerationZipRoutes = new Hono<AppEnv>().get(
  "/:id/zip",
  doc({ summary: "Every finished carousel of a Carousel Mix generation as one streamed ZIP (exact Content-Length)", tags: TAGS }),
  requireAuth,
  params(z.object({ id: Id })),
  async (c) => {
    const { generation, items } = await ownedCarouselGeneration(c.env, c.var.user.id, c.req.valid("param").id);
    return zipResponse(c.env.FILES, outputsOf(generation), zipEntries(items, true), zipFilename(generation));
  },
);
