/** /api/gallery: every output of the caller across apps, and a ZIP of the chosen ones. */
import { Hono } from "hono";
import { requireAuth } from "../auth/middleware";
import { db } from "../db/client";
import type { Catalog } from "../generations/catalog";
import { itemView } from "../generations/view";
import type { AppEnv } from "../http/context";
import { doc } from "../http/openapi";
import { page } from "../http/pagination";
import { json, query } from "../http/validate";
import { galleryRows } from "./query";
import { GALLERY_ZIP_MAX_ITEMS, GalleryPage, galleryQuery, ZipRequest } from "./schema";
import { galleryZip } from "./zip";

export const galleryRoutes = (catalog: Catalog) =>
  new Hono<AppEnv>()
    .use(requireAuth)
    .get(
      "/",
      doc({ summary: "The caller's outputs across apps, newest first; filters by app, status, favourite, UTC days and prompt", tags: ["gallery"], response: GalleryPage }),
      query(galleryQuery(catalog.ids())),
      async (c) => {
        const filters = c.req.valid("query");
        const rows = await galleryRows(db(c.env.DB), c.var.user.id, filters);
        const result = page(rows, filters.limit, (r) => ({ at: r.item.createdAt, id: r.item.id }));
        const items = await Promise.all(
          result.items.map(async ({ item, generation }) => ({
            ...(await itemView(c.var.config, generation, item, catalog.definition(generation.appId))),
            generationId: generation.id,
            appId: generation.appId,
            projectId: generation.projectId,
            prompt: generation.prompt,
            createdAt: new Date(item.createdAt).toISOString(),
          })),
        );
        return c.json({ items, nextCursor: result.nextCursor }, 200);
      },
    )
    .post("/zip", doc({ summary: `A streamed ZIP of up to ${GALLERY_ZIP_MAX_ITEMS} of the caller's outputs`, tags: ["gallery"], body: ZipRequest }), json(ZipRequest), async (c) =>
      galleryZip(db(c.env.DB), c.env.FILES, c.var.user.id, c.req.valid("json")),
    );
