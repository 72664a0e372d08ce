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
import { ORDER_STATUSES } from "../db/billing";
import { db } from "../db/client";
import { OrderView, orderView, pageOfOrders } from "../billing/orders";
import { recheckOrder } from "../billing/recheck";
import { gatewayFor } from "../billing/select";
import { pageQuery } from "../http/pagination";
import { params, query } from "../http/validate";

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
  .get(
    "/orders",
    doc({ summary: "Every user's orders, newest first", tags: ["admin"], response: z.object({ items: z.array(OrderView), nextCursor: z.string().nullable() }) }),
    query(pageQuery.extend({ status: z.enum(ORDER_STATUSES).optional() })),
    async (c) => {
      const { limit, cursor, status } = c.req.valid("query");
      return c.json(await pageOfOrders(db(c.env.DB), status ? { status } : {}, limit, cursor), 200);
    },
  )
  .post(
    "/orders/:id/check",
    doc({ summary: "Check an order with the payment gateway now (credits it once if paid)", tags: ["admin"], response: z.object({ order: OrderView }) }),
    params(z.object({ id: z.string().min(1).max(64) })),
    async (c) => {
      const { before, after } = await recheckOrder(c.env, db(c.env.DB), gatewayFor(c.var.config, c.env), c.req.valid("param").id, c.var.requestId);
      await audit(c, "admin.order_check", after.id, { before: before.status, after: after.status });
      return c.json({ order: orderView(after) }, 200);
    },
  )
  .get("/reconciliation", doc({ summary: "The last reconciliation report (drift between D1 and the Account objects)", tags: ["admin"], response: ReconciliationReport }), async (c) => {
    const report = await lastReconciliation(c.env);
    if (!report) throw new ApiError("NOT_FOUND", "Reconciliation has not run yet; it runs on the cron every few minutes");
    return c.json(report, 200);
  });
