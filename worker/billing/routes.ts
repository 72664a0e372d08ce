/** /api/billing: the catalog, checkout, the caller's orders and subscription, and the gateway's callback. */
import { Hono } from "hono";
import { z } from "zod";
import { accountOf } from "../account/client";
import { db } from "../db/client";
import { requireAuth } from "../auth/middleware";
import type { AppEnv } from "../http/context";
import { idempotencyKey } from "../http/idempotency";
import { doc } from "../http/openapi";
import { pageQuery } from "../http/pagination";
import { json, params, query } from "../http/validate";
import { receiveCallback } from "./callback";
import { listPackages, listPlans, PackageView, PlanView } from "./catalog";
import { checkout, CheckoutBody } from "./checkout";
import { OrderView, orderView, ownedOrder, pageOfOrders } from "./orders";
import { gatewayFor, publicBase } from "./select";

const SubscriptionView = z
  .object({
    plan: z.object({ id: z.string(), name: z.string(), dailyPoseQuota: z.number().int().nullable(), unlimited: z.boolean() }),
    tier: z.enum(["pro", "enterprise"]),
    startsAt: z.string(),
    endsAt: z.string(),
  })
  .nullable();

const OrderParams = z.object({ id: z.string().min(1).max(64) });

// requireAuth per route: the callback comes from the gateway, with no bearer token.
export const billingRoutes = new Hono<AppEnv>()
  .get("/packages", doc({ summary: "Credit packages for sale (IDR)", tags: ["billing"], response: z.object({ packages: z.array(PackageView) }) }), requireAuth, async (c) =>
    c.json({ packages: await listPackages(db(c.env.DB)) }, 200),
  )
  .get("/plans", doc({ summary: "Plans for sale (IDR)", tags: ["billing"], response: z.object({ plans: z.array(PlanView) }) }), requireAuth, async (c) =>
    c.json({ plans: await listPlans(db(c.env.DB)) }, 200),
  )
  .get("/subscription", doc({ summary: "The caller's running plan, or null (free)", tags: ["billing"], response: SubscriptionView }), requireAuth, async (c) => {
    const plan = await accountOf(c.env, c.var.user.id).plan();
    if (!plan) return c.json(null, 200);
    return c.json(
      {
        plan: { id: plan.planId, name: plan.name, dailyPoseQuota: plan.dailyPoseQuota, unlimited: plan.unlimited },
        tier: plan.tier,
        startsAt: plan.startsAt,
        endsAt: plan.endsAt,
      },
      200,
    );
  })
  .post(
    "/checkout",
    doc({ summary: "Start paying for a package or a plan", tags: ["billing"], status: 201, idempotent: true, response: z.object({ order: OrderView, paymentUrl: z.string() }) }),
    requireAuth,
    json(CheckoutBody),
    async (c) => {
      const key = idempotencyKey(c);
      const { order, paymentUrl } = await checkout({
        env: c.env,
        config: c.var.config,
        gateway: gatewayFor(c.var.config, c.env),
        user: c.var.user,
        idempotencyKey: key,
        body: c.req.valid("json"),
        base: publicBase(c.var.config, c.req.url),
        requestId: c.var.requestId,
      });
      return c.json({ order: orderView(order), paymentUrl }, 201);
    },
  )
  .get(
    "/orders",
    doc({ summary: "The caller's orders, newest first", tags: ["billing"], response: z.object({ items: z.array(OrderView), nextCursor: z.string().nullable() }) }),
    requireAuth,
    query(pageQuery),
    async (c) => {
      const { limit, cursor } = c.req.valid("query");
      return c.json(await pageOfOrders(db(c.env.DB), { userId: c.var.user.id }, limit, cursor), 200);
    },
  )
  .get("/orders/:id", doc({ summary: "One of the caller's orders", tags: ["billing"], response: z.object({ order: OrderView }) }), requireAuth, params(OrderParams), async (c) => {
    const order = await ownedOrder(db(c.env.DB), c.var.user.id, c.req.valid("param").id);
    return c.json({ order: orderView(order) }, 200);
  })
  .post(
    "/callback",
    doc({
      summary: "The payment gateway's notification (form-encoded, Duitku's fields and signature)",
      tags: ["billing"],
      auth: false,
      bodyMediaType: "application/x-www-form-urlencoded",
      response: z.object({ orderId: z.string(), status: z.string() }),
    }),
    async (c) => {
      const { order } = await receiveCallback(c.env, c.var.config, gatewayFor(c.var.config, c.env), c.req.raw, c.var.requestId);
      return c.json({ orderId: order.id, status: order.status }, 200);
    },
  );
