/** GET /api/apps: the catalog with credit costs. */
import { Hono } from "hono";
import { z } from "zod";
import { requireAuth } from "../auth/middleware";
import type { Catalog } from "../generations/catalog";
import type { AppEnv } from "../http/context";
import { doc } from "../http/openapi";
import { UPLOAD_POLICY } from "../media/policy";
import { db } from "../db/client";
import { isAvailable, modelsOf } from "../generations/models";
import { allSwitches, switched } from "../generations/switches";

const AppView = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string(),
  icon: z.string(),
  credits: z.record(z.string(), z.number()),
  beta: z.boolean(),
  enabled: z.boolean(),
  /** Why the app is switched off (empty while it is on). */
  message: z.string(),
  limits: z.object({
    maxItems: z.number().int(),
    ranges: z.record(z.string(), z.object({ min: z.number(), max: z.number() })),
    options: z.record(z.string(), z.array(z.string())),
  }),
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

/** The rule every image upload meets (worker/media/policy.ts), for the studio's checks before sending. */
const UploadView = z.object({ maxBytes: z.number().int(), minSide: z.number().int(), maxSide: z.number().int(), formats: z.array(z.string()) });

// requireAuth per route, not `.use()`: this router shares /api/apps with the generation route.
export const appRoutes = (catalog: Catalog) =>
  new Hono<AppEnv>().get("/", doc({ summary: "The app catalog with credit costs", tags: ["apps"], response: z.object({ apps: z.array(AppView), uploads: UploadView }) }), requireAuth, async (c) => {
    const switches = await allSwitches(db(c.env.DB));
    const { config } = c.var;
    const apps = catalog.manifests().map((manifest) => {
      const { id, name, description, icon, credits, beta, enabled, limits } = manifest;
      return {
        id,
        name,
        description,
        icon,
        credits,
        ...switched({ beta, enabled }, switches.get(id)),
        limits: { maxItems: limits.maxItems, ranges: limits.ranges, options: Object.fromEntries(Object.entries(limits.options).map(([k, v]) => [k, [...v]])) },
        models: modelsOf(config, manifest).map((m) => ({
          id: m.id,
          name: m.name,
          provider: m.provider,
          tier: m.tier,
          credits: m.credits,
          default: m.default,
          available: isAvailable(config, c.env, m),
        })),
      };
    });
    const { maxBytes, minSide, maxSide, formats } = UPLOAD_POLICY;
    return c.json({ apps, uploads: { maxBytes, minSide, maxSide, formats: [...formats] } }, 200);
  });
