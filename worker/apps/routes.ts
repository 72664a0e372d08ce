/** /api/apps: the catalog and the one generation route every app shares. */
import { Hono } from "hono";
import { z } from "zod";
import { requireAuth } from "../http/auth";
import type { AppEnv } from "../http/context";
import { idempotencyKey } from "../http/idempotency";
import { doc } from "../http/openapi";
import { json, params } from "../http/validate";
import { submitGeneration } from "../jobs/submit";
import { GenerationView, generationView } from "../generations/view";
import { isAvailable, modelsOf } from "../models/catalog";
import { generatingApp, generationBodies, listApps } from "./registry";

const AppView = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string(),
  icon: z.string(),
  credits: z.record(z.string(), z.number()),
  beta: z.boolean(),
  enabled: z.boolean(),
  models: z.array(
    z.object({
      id: z.string(),
      name: z.string(),
      provider: z.string(),
      tier: z.enum(["free", "pro", "enterprise"]),
      credits: z.record(z.string(), z.number()),
      default: z.boolean(),
      /** This deployment has the model's provider set up. */
      available: z.boolean(),
    }),
  ),
});

/** The body is validated by the app's own schema (published here as a union of them). */
const AnyBody = z.record(z.string(), z.unknown());

// requireAuth per route, not `.use()`: a sub-app's use() would cover every /api/apps/* path.
export const appRoutes = new Hono<AppEnv>()
  .get("/", doc({ summary: "The app catalog with credit costs", tags: ["apps"], response: z.object({ apps: z.array(AppView) }) }), requireAuth, (c) => {
    const { config } = c.var;
    const apps = listApps(config).map((manifest) => {
      const { id, name, description, icon, credits, beta, enabled } = manifest;
      const models = modelsOf(config, manifest).map((m) => ({
        id: m.id,
        name: m.name,
        provider: m.provider,
        tier: m.tier,
        credits: m.credits,
        default: m.default,
        available: isAvailable(config, c.env, m),
      }));
      return { id, name, description, icon, credits, beta, enabled, models };
    });
    return c.json({ apps }, 200);
  })
  .post(
    "/:appId/generations",
    doc({ summary: "Start a generation (reserves its cost, queues one message per item)", tags: ["generations"], status: 202, idempotent: true, body: z.union(generationBodies()), response: z.object({ generation: GenerationView }) }),
    requireAuth,
    params(z.object({ appId: z.string().min(1).max(40) })),
    json(AnyBody),
    async (c) => {
      const app = generatingApp(c.var.config, c.req.valid("param").appId);
      const key = idempotencyKey(c);
      const { generation } = await submitGeneration({ env: c.env, config: c.var.config, user: c.var.user, app, idempotencyKey: key, body: c.req.valid("json") });
      return c.json({ generation: await generationView(c.var.config, generation) }, 202);
    },
  );
