/** /api/admin/apps: switch an app off for new generations (with a message), or mark it beta. */
import { Hono } from "hono";
import { z } from "zod";
import { db } from "../db/client";
import { appSwitches } from "../db/schema";
import { notFound } from "../core/errors";
import type { Catalog } from "../generations/catalog";
import { allSwitches } from "../generations/switches";
import type { AppEnv } from "../http/context";
import { doc } from "../http/openapi";
import { json, params } from "../http/validate";
import { auditRow } from "./audited";

const SwitchView = z.object({ id: z.string(), name: z.string(), enabled: z.boolean(), beta: z.boolean(), message: z.string(), available: z.boolean() });
const PatchBody = z
  .object({ enabled: z.boolean().optional(), beta: z.boolean().optional(), message: z.string().trim().max(300).optional() })
  .strict()
  .refine((b) => Object.keys(b).length > 0, "send enabled, beta or message");

export const adminAppRoutes = (catalog: Catalog) =>
  new Hono<AppEnv>()
    .get("/", doc({ summary: "Every app with its switches", tags: ["admin"], response: z.object({ apps: z.array(SwitchView) }) }), async (c) => {
      const switches = await allSwitches(db(c.env.DB));
      const apps = catalog.manifests().map((m) => {
        const row = switches.get(m.id);
        // `available`: whether the app itself is built to generate; a switch cannot open one that is not.
        return { id: m.id, name: m.name, enabled: row?.enabled ?? true, beta: row?.beta ?? m.beta, message: row?.message ?? "", available: m.enabled };
      });
      return c.json({ apps }, 200);
    })
    .patch(
      "/:appId",
      doc({ summary: "Switch an app on or off, mark it beta, set the message users see (audited)", tags: ["admin"], body: PatchBody, response: SwitchView }),
      params(z.object({ appId: z.string().min(1).max(40) })),
      json(PatchBody),
      async (c) => {
        const { appId } = c.req.valid("param");
        const manifest = catalog.manifests().find((m) => m.id === appId);
        if (!manifest) throw notFound("App");
        const database = db(c.env.DB);
        const current = (await allSwitches(database)).get(appId);
        const before = { enabled: current?.enabled ?? true, beta: current?.beta ?? manifest.beta, message: current?.message ?? "" };
        const after = { ...before, ...c.req.valid("json") };
        await database.batch([
          database
            .insert(appSwitches)
            .values({ appId, ...after, updatedBy: c.var.user.id, updatedAt: Date.now() })
            .onConflictDoUpdate({ target: appSwitches.appId, set: { ...after, updatedBy: c.var.user.id, updatedAt: Date.now() } }),
          auditRow(database, c, { action: "admin.app.update", targetType: "app", targetId: appId, before, after }),
        ]);
        return c.json({ id: appId, name: manifest.name, ...after, available: manifest.enabled }, 200);
      },
    );
