/** /api/admin: operator tools. One requireAdmin guards the whole router. */
import { Hono } from "hono";
import { z } from "zod";
import { requireAdmin, requireAuth } from "../http/auth";
import type { AppEnv } from "../http/context";
import { doc } from "../http/openapi";
import { recover } from "../jobs/recovery";
import { audit } from "./audit";

const RecoveryReport = z.object({ requeued: z.number(), failed: z.number(), finalized: z.number(), released: z.number(), errors: z.number() });

export const adminRoutes = new Hono<AppEnv>()
  .use(requireAuth, requireAdmin)
  .post("/recovery", doc({ summary: "Run pipeline recovery now", tags: ["admin"], response: RecoveryReport }), async (c) => {
    const report = await recover(c.env, c.var.config);
    await audit(c, "admin.recovery", null, { ...report });
    return c.json(report, 200);
  });
