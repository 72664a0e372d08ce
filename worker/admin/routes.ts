/** /api/admin: operator tools. One requireAdmin guards the whole router. */
import { Hono } from "hono";
import { z } from "zod";
import { requireAdmin, requireAuth } from "../auth/middleware";
import type { AppEnv } from "../http/context";
import { ApiError } from "../core/errors";
import { doc } from "../http/openapi";
import { lastReconciliation } from "../account/reconcile";
import { recover } from "../generations/recovery";
import { audit } from "../audit/audit";

const Drift = z.object({
  userId: z.string(),
  kind: z.string(),
  expected: z.union([z.number(), z.string(), z.null()]),
  actual: z.union([z.number(), z.string(), z.null()]),
  subject: z.string().optional(),
});
const ReconciliationReport = z.object({ ranAt: z.string(), checked: z.number(), drift: z.array(Drift) });

const RecoveryReport = z.object({ requeued: z.number(), failed: z.number(), finalized: z.number(), released: z.number(), errors: z.number() });

export const adminRoutes = new Hono<AppEnv>()
  .use(requireAuth, requireAdmin)
  .post("/recovery", doc({ summary: "Run pipeline recovery now", tags: ["admin"], response: RecoveryReport }), async (c) => {
    const report = await recover(c.env, c.var.config);
    await audit(c, "admin.recovery", null, { ...report });
    return c.json(report, 200);
  })
  .get("/reconciliation", doc({ summary: "The last reconciliation report (drift between D1 and the Account objects)", tags: ["admin"], response: ReconciliationReport }), async (c) => {
    const report = await lastReconciliation(c.env);
    if (!report) throw new ApiError("NOT_FOUND", "Reconciliation has not run yet; it runs on the cron every few minutes");
    return c.json(report, 200);
  });
