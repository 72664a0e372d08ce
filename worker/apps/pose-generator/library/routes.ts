/** The Pose Generator's pose library (mounted at /api/apps/pose-generator): search, categories, one pose. */
import { Hono } from "hono";
import { z } from "zod";
import { KeypointsSchema } from "../../../ai/skeleton";
import { db } from "../../../db/client";
import { requireAuth } from "../../../auth/middleware";
import type { AppEnv } from "../../../http/context";
import { doc } from "../../../http/openapi";
import { decodeCursor, page, pageQuery } from "../../../http/pagination";
import { params, query } from "../../../http/validate";
import { CATEGORY_IDS, DIFFICULTIES } from "./catalog";
import { categoryCounts, getPose, type Pose, searchPoses } from "./poses";
import { previewUrls } from "./preview";

const TAGS = ["pose-generator"];

const LibraryQuery = pageQuery.extend({
  /** Matched literally (no wildcards) against names and tags, ignoring ASCII case. */
  search: z.string().trim().min(1).max(100).optional(),
  category: z.enum(CATEGORY_IDS).optional(),
});
const PoseParams = z.object({ id: z.string().min(1).max(64) });

const PoseView = z.object({
  id: z.string(),
  name: z.string(),
  category: z.enum(CATEGORY_IDS),
  tags: z.array(z.string()),
  difficulty: z.enum(DIFFICULTIES),
  /** A signed /api/files URL to a PNG that exists when it is handed out; usable in <img>. */
  previewUrl: z.string(),
});
const PoseDetailView = PoseView.extend({ keypoints: KeypointsSchema });
const CategoryView = z.object({ id: z.enum(CATEGORY_IDS), name: z.string(), count: z.number().int() });

const poseView = (p: Pose, previewUrl: string) => ({
  id: p.id,
  name: p.name,
  category: p.category,
  tags: p.tags,
  difficulty: p.difficulty,
  previewUrl,
});

export const poseLibraryRoutes = new Hono<AppEnv>()
  // Only its own paths: mounted at the app's root, a bare `.use` would also check the session of the app's generation submit, which checks it in its reserve.
  .use("/library/*", requireAuth)
  .get(
    "/library",
    doc({ summary: "Search the pose library, in catalog order", tags: TAGS, response: z.object({ items: z.array(PoseView), nextCursor: z.string().nullable() }) }),
    query(LibraryQuery),
    async (c) => {
      const { limit, cursor, search, category } = c.req.valid("query");
      const rows = await searchPoses(db(c.env.DB), { search, category, after: decodeCursor(cursor), limit });
      const result = page(rows, limit, (p) => ({ at: p.position, id: p.id }));
      const urls = await previewUrls(c.env.FILES, c.var.config.FILE_URL_SECRET, result.items);
      return c.json({ items: result.items.map((p) => poseView(p, urls.get(p.id)!)), nextCursor: result.nextCursor }, 200);
    },
  )
  // Before /library/:id, which would otherwise take "categories" for a pose id.
  .get("/library/categories", doc({ summary: "Pose categories with their counts", tags: TAGS, response: z.object({ categories: z.array(CategoryView) }) }), async (c) => {
    return c.json({ categories: await categoryCounts(db(c.env.DB)) }, 200);
  })
  .get("/library/:id", doc({ summary: "One pose with its COCO-17 keypoints", tags: TAGS, response: PoseDetailView }), params(PoseParams), async (c) => {
    const pose = await getPose(db(c.env.DB), c.req.valid("param").id);
    const urls = await previewUrls(c.env.FILES, c.var.config.FILE_URL_SECRET, [pose]);
    return c.json({ ...poseView(pose, urls.get(pose.id)!), keypoints: pose.keypoints }, 200);
  });
