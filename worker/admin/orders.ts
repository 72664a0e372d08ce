/** Admin: every user's orders, and re-checking one with the payment gateway (the poller's path, audited). */
import { Hono } from "hono";
import { z } from "zod";
import { audit } from "../audit/audit";
import { OrderView, orderView, pageOfOrders } from "../billing/orders";
import { recheckOrder } from "../billing/recheck";
import { gatewayFor } from "../billing/select";
import { ORDER_STATUSES } from "../db/billing";
import { db } from "../db/client";
import type { AppEnv } from "../http/context";
import { doc } from "../http/openapi";
import { pageQuery } from "../http/pagination";
import { params, query } from "../http/validate";

export const adminOrderRoutes = new Hono<AppEnv>()
  .get(
    "/",
    doc({ summary: "Every user's orders, newest first", tags: ["admin"], response: z.object({ items: z.array(OrderView), nextCursor: z.string().nullable() }) }),
    query(pageQuery.extend({ status: z.enum(ORDER_STATUSES).optional() })),
    async (c) => {
      const { limit, cursor, status } = c.req.valid("query");
      return c.json(await pageOfOrders(db(c.env.DB), status ? { status } : {}, limit, cursor), 200);
    },
  )
  .post(
    "/:id/check",
    doc({ summary: "Check an order with the payment gateway now (credits it once if paid)", tags: ["admin"], response: z.object({ order: OrderView }) }),
    params(z.object({ id: z.string().min(1).max(64) })),
    async (c) => {
      const { before, after } = await recheckOrder(c.env, db(c.env.DB), gatewayFor(c.var.config, c.env), c.req.valid("param").id, c.var.requestId);
      await audit(c, "admin.order_check", after.id, { before: before.status, after: after.status });
      return c.json({ order: orderView(after) }, 200);
    },
  );
