/** Orders in D1: the view the API shows, owner-scoped reads and the one-way status moves. */
import { and, desc, eq, inArray, lt, or } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "../db/client";
import { orders, type OrderStatus } from "../db/billing";
import { notFound } from "../core/errors";
import { decodeCursor, page } from "../http/pagination";

export type OrderRow = typeof orders.$inferSelect;

export const OrderView = z.object({
  id: z.string(),
  kind: z.enum(["package", "plan"]),
  packageId: z.string().nullable(),
  planId: z.string().nullable(),
  itemName: z.string(),
  credits: z.number().int(),
  amount: z.number().int(),
  currency: z.string(),
  status: z.enum(["pending", "paid", "failed", "expired"]),
  reference: z.string().nullable(),
  paymentMethod: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
  paidAt: z.string().nullable(),
});
export type OrderView = z.infer<typeof OrderView>;

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

export function orderView(o: OrderRow): OrderView {
  return {
    id: o.id,
    kind: o.kind,
    packageId: o.packageId,
    planId: o.planId,
    itemName: o.itemName,
    credits: o.credits,
    amount: o.amount,
    currency: o.currency,
    status: o.status,
    reference: o.reference,
    paymentMethod: o.paymentMethod,
    createdAt: iso(o.createdAt)!,
    updatedAt: iso(o.updatedAt)!,
    paidAt: iso(o.paidAt),
  };
}

/** The caller's own order; anyone else's is a 404, exactly like one that does not exist. */
export async function ownedOrder(database: Db, userId: string, id: string): Promise<OrderRow> {
  const row = await database
    .select()
    .from(orders)
    .where(and(eq(orders.id, id), eq(orders.userId, userId)))
    .get();
  if (!row) throw notFound("Order");
  return row;
}

/** A page of order rows, newest first: one user's (their history) or everyone's (the admin view), optionally of one status. */
export async function pageOfOrderRows(database: Db, filter: { userId?: string; status?: OrderStatus }, limit: number, cursor: string | undefined) {
  const after = decodeCursor(cursor);
  const rows = await database
    .select()
    .from(orders)
    .where(
      and(
        filter.userId ? eq(orders.userId, filter.userId) : undefined,
        filter.status ? eq(orders.status, filter.status) : undefined,
        after ? or(lt(orders.createdAt, after.at), and(eq(orders.createdAt, after.at), lt(orders.id, after.id))) : undefined,
      ),
    )
    .orderBy(desc(orders.createdAt), desc(orders.id))
    .limit(limit + 1);
  return page(rows, limit, (r) => ({ at: r.createdAt, id: r.id }));
}

/** A page of orders as the API shows them. */
export async function pageOfOrders(database: Db, filter: { userId?: string; status?: OrderStatus }, limit: number, cursor: string | undefined) {
  const result = await pageOfOrderRows(database, filter, limit, cursor);
  return { items: result.items.map(orderView), nextCursor: result.nextCursor };
}

export const findOrder = (database: Db, id: string) => database.select().from(orders).where(eq(orders.id, id)).get();

/**
 * Moves an order from one of `from` to `to`, only if it is still there: of racing
 * writers exactly one wins, and nothing ever leaves paid. Returns the row when this call moved it.
 */
export async function moveOrder(database: Db, id: string, from: OrderStatus[], to: OrderStatus, extra: Partial<OrderRow> = {}): Promise<OrderRow | null> {
  const now = Date.now();
  const [row] = await database
    .update(orders)
    .set({ ...extra, status: to, updatedAt: now, ...(to === "paid" ? { paidAt: now } : {}) })
    .where(and(eq(orders.id, id), inArray(orders.status, from)))
    .returning();
  return row ?? null;
}
