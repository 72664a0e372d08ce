/** Admin: every user's orders with who placed them, and re-checking one with the payment gateway (the poller's path, audited). */
import { inArray } from "drizzle-orm";
import { Hono } from "hono";
import { z } from "zod";
import { audit } from "../audit/audit";
import { OrderView, orderView, pageOfOrderRows } from "../billing/orders";
import { recheckOrder } from "../billing/recheck";
import { gatewayFor } from "../billing/select";
import { ORDER_STATUSES } from "../db/billing";
import { db } from "../db/client";
import { users } from "../db/schema";
import type { AppEnv } from "../http/context";
import { doc } from "../http/openapi";
import { pageQuery } from "../http/pagination";
import { params, query } from "../http/validate";

const AdminOrderView = OrderView.extend({ user: z.object({ id: z.string(), email: z.string(), name: z.string() }).nullable() });

export const adminOrderRoutes = new Hono<AppEnv>()
  .get(
    "/",
    doc({ summary: "Every user's orders, newest first, each with its user", tags: ["admin"], response: z.object({ items: z.array(AdminOrderView), nextCursor: z.string().nullable() }) }),
    query(pageQuery.extend({ status: z.enum(ORDER_STATUSES).optional() })),
    async (c) => {
      const { limit, cursor, status } = c.req.valid("query");
      const database = db(c.env.DB);
      const result = await pageOfOrderRows(database, status ? { status } : {}, limit, cursor);
      // One lookup for the page's users, not one per order.
      const ids = [...new Set(result.items.map((o) => o.userId))];
      const people = ids.length ? await database.select({ id: users.id, email: users.email, name: users.name }).from(users).where(inArray(users.id, ids)) : [];
      const byId = new Map(people.map((u) => [u.id, u]));
      return c.json({ items: result.items.map((o) => ({ ...orderView(o), user: byId.get(o.userId) ?? null })), nextCursor: result.nextCursor }, 200);
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
