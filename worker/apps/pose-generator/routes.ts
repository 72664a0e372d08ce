/** /api/apps/pose-generator: the library, background uploads and usage stats. */
import { Hono } from "hono";
import { and, desc, eq, sql } from "drizzle-orm";
import { z } from "zod";
import { db } from "../../db/client";
import { generationItems, generations, poses } from "../../db/schema";
import { requireAuth } from "../../auth/middleware";
import type { AppEnv } from "../../http/context";
import { doc } from "../../http/openapi";
import { params } from "../../http/validate";
import { generationView, GenerationView } from "../../generations/view";
import { ownedProject } from "../../projects/service";
import { acceptImageUpload } from "../../uploads/pipeline";
import { UploadView, uploadView } from "../../uploads/stills";
import { poseLibraryRoutes } from "./library/routes";

const APP_ID = "pose-generator";

const StatsView = z.object({
  totals: z.object({ generations: z.number(), posesGenerated: z.number(), failed: z.number(), creditsUsed: z.number() }),
  recent: z.array(GenerationView),
  topPoses: z.array(z.object({ id: z.string(), name: z.string(), count: z.number() })),
});

export const poseGeneratorRoutes = new Hono<AppEnv>()
  .route("/", poseLibraryRoutes)
  .post(
    "/projects/:projectId/backgrounds",
    doc({ summary: "Upload a background image for the background changer (multipart `file`)", tags: ["pose-generator"], status: 201, bodyMediaType: "multipart/form-data", response: UploadView }),
    requireAuth,
    params(z.object({ projectId: z.string().min(1).max(64) })),
    async (c) => {
      const project = await ownedProject(db(c.env.DB), c.var.user.id, c.req.valid("param").projectId, APP_ID);
      const { stored } = await acceptImageUpload(c.env, c.req.raw, { userId: c.var.user.id, projectId: project.id, kind: "backgrounds" }, () => null);
      return c.json(await uploadView(c.var.config.FILE_URL_SECRET, stored), 201);
    },
  )
  .get("/stats", doc({ summary: "Totals, credits used, recent generations and top poses", tags: ["pose-generator"], response: StatsView }), requireAuth, async (c) => {
    const database = db(c.env.DB);
    const userId = c.var.user.id;
    const mine = and(eq(generations.userId, userId), eq(generations.appId, APP_ID));
    const [totals, recent, top] = await Promise.all([
      database
        .select({
          generations: sql<number>`count(*)`,
          posesGenerated: sql<number>`coalesce(sum(${generations.completed}), 0)`,
          failed: sql<number>`coalesce(sum(${generations.failed}), 0)`,
          creditsUsed: sql<number>`coalesce(sum(${generations.charged}), 0)`,
        })
        .from(generations)
        .where(mine)
        .get(),
      database.select().from(generations).where(mine).orderBy(desc(generations.createdAt)).limit(5),
      database
        .select({ id: poses.id, name: poses.name, count: sql<number>`count(*)` })
        .from(generationItems)
        .innerJoin(generations, eq(generations.id, generationItems.generationId))
        .innerJoin(poses, eq(poses.id, sql`json_extract(${generationItems.params}, '$.poseId')`))
        .where(and(mine, eq(generationItems.status, "completed")))
        .groupBy(poses.id)
        .orderBy(desc(sql`count(*)`), poses.id)
        .limit(5),
    ]);
    return c.json(
      {
        totals: totals ?? { generations: 0, posesGenerated: 0, failed: 0, creditsUsed: 0 },
        recent: await Promise.all(recent.map((g) => generationView(c.var.config, g))),
        topPoses: top,
      },
      200,
    );
  });
