/** GET /api/apps: the catalog with credit costs. */
import { Hono } from "hono";
import { z } from "zod";
import { requireAuth } from "../auth/middleware";
import type { Catalog } from "../generations/catalog";
import type { AppEnv } from "../http/context";
import { doc } from "../http/openapi";

const AppView = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string(),
  icon: z.string(),
  credits: z.record(z.string(), z.number()),
  beta: z.boolean(),
  enabled: z.boolean(),
});

// requireAuth per route, not `.use()`: this router shares /api/apps with the generation route.
export const appRoutes = (catalog: Catalog) =>
  new Hono<AppEnv>().get("/", doc({ summary: "The app catalog with credit costs", tags: ["apps"], response: z.object({ apps: z.array(AppView) }) }), requireAuth, (c) => {
    const apps = catalog.manifests().map(({ id, name, description, icon, credits, beta, enabled }) => ({ id, name, description, icon, credits, beta, enabled }));
    return c.json({ apps }, 200);
  });
