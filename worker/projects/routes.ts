/** /api/projects: a user's projects, per app. */
import { Hono } from "hono";
import { and, desc, eq, isNull, lt, or } from "drizzle-orm";
import { z } from "zod";
import { db } from "../db/client";
import { generations, projects } from "../db/schema";
import { requireAuth } from "../auth/middleware";
import type { AppEnv } from "../http/context";
import { ApiError } from "../core/errors";
import { doc } from "../http/openapi";
import { decodeCursor, page, pageQuery } from "../http/pagination";
import { json, params, query } from "../http/validate";
import { deleteProjectFiles, ownedProject, projectView } from "./service";

/** The apps a project may belong to (the catalog, handed in by the app that mounts these routes). */
export interface KnownApps {
  ids(): [string, ...string[]];
}

const ProjectView = z.object({ id: z.string(), appId: z.string(), name: z.string(), description: z.string(), createdAt: z.string(), updatedAt: z.string() });
const createProject = (AppId: z.ZodType<string>) => z.object({ appId: AppId, name: z.string().trim().min(1).max(100), description: z.string().trim().max(1000).default("") });
const UpdateProject = z
  .object({ name: z.string().trim().min(1).max(100).optional(), description: z.string().trim().max(1000).optional() })
  .refine((b) => b.name !== undefined || b.description !== undefined, { message: "send name or description" });
const ProjectParams = z.object({ id: z.string().min(1).max(64) });
const listQuery = (AppId: z.ZodType<string>) => pageQuery.extend({ appId: AppId.optional() });

export const projectRoutes = (apps: KnownApps) => {
  const AppId = z.enum(apps.ids());
  return new Hono<AppEnv>()
    .use(requireAuth)
    .get(
      "/",
      doc({ summary: "The user's projects, newest first", tags: ["projects"], response: z.object({ items: z.array(ProjectView), nextCursor: z.string().nullable() }) }),
      query(listQuery(AppId)),
      async (c) => {
        const { limit, cursor, appId } = c.req.valid("query");
        const after = decodeCursor(cursor);
        const rows = await db(c.env.DB)
          .select()
          .from(projects)
          .where(
            and(
              eq(projects.userId, c.var.user.id),
              appId ? eq(projects.appId, appId) : undefined,
              after ? or(lt(projects.createdAt, after.at), and(eq(projects.createdAt, after.at), lt(projects.id, after.id))) : undefined,
            ),
          )
          .orderBy(desc(projects.createdAt), desc(projects.id))
          .limit(limit + 1);
        const result = page(rows, limit, (r) => ({ at: r.createdAt, id: r.id }));
        return c.json({ items: result.items.map(projectView), nextCursor: result.nextCursor }, 200);
      },
    )
    .post("/", doc({ summary: "Create a project", tags: ["projects"], response: ProjectView, status: 201 }), json(createProject(AppId)), async (c) => {
      const body = c.req.valid("json");
      const [row] = await db(c.env.DB).insert(projects).values({ id: crypto.randomUUID(), userId: c.var.user.id, appId: body.appId, name: body.name, description: body.description }).returning();
      return c.json(projectView(row!), 201);
    })
    .get("/:id", doc({ summary: "One project", tags: ["projects"], response: ProjectView }), params(ProjectParams), async (c) => {
      return c.json(projectView(await ownedProject(db(c.env.DB), c.var.user.id, c.req.valid("param").id)), 200);
    })
    .patch("/:id", doc({ summary: "Rename or describe a project", tags: ["projects"], response: ProjectView }), params(ProjectParams), json(UpdateProject), async (c) => {
      const database = db(c.env.DB);
      const project = await ownedProject(database, c.var.user.id, c.req.valid("param").id);
      const [row] = await database
        .update(projects)
        .set({ ...c.req.valid("json"), updatedAt: Date.now() })
        .where(and(eq(projects.id, project.id), eq(projects.userId, c.var.user.id)))
        .returning();
      return c.json(projectView(row!), 200);
    })
    .delete("/:id", doc({ summary: "Delete a project with its files and generations", tags: ["projects"], status: 204 }), params(ProjectParams), async (c) => {
      const database = db(c.env.DB);
      const project = await ownedProject(database, c.var.user.id, c.req.valid("param").id);
      const running = await database
        .select({ id: generations.id })
        .from(generations)
        // Running until settled: a generation whose items are done but whose hold is open still owes its charge.
        .where(and(eq(generations.projectId, project.id), isNull(generations.charged)))
        .limit(1);
      if (running.length > 0) throw new ApiError("CONFLICT", "This project has generations still running; cancel them or wait, then delete");
      // Files first: if this fails the row stays and the delete can be retried.
      await deleteProjectFiles(c.env.FILES, c.var.user.id, project.id);
      await database.delete(projects).where(and(eq(projects.id, project.id), eq(projects.userId, c.var.user.id)));
      return c.body(null, 204);
    });
};
