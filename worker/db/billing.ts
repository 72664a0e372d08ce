/**
 * Billing tables: the catalog (credit packages and plans, seeded by a migration) and the
 * orders people pay through the gateway. Credits themselves stay in each Account object;
 * an order only says what was bought, for how much, and whether it was paid.
 */
import { sql } from "drizzle-orm";
import { index, integer, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";

const now = sql`(unixepoch('subsec') * 1000)`;

export const creditPackages = sqliteTable("credit_packages", {
  id: text("id").primaryKey(),
  name: text("name").notNull(),
  credits: integer("credits").notNull(),
  bonusCredits: integer("bonus_credits").notNull().default(0),
  /** Whole rupiah (IDR has no minor unit in practice). */
  price: integer("price").notNull(),
  currency: text("currency").notNull().default("IDR"),
  position: integer("position").notNull(),
  active: integer("active", { mode: "boolean" }).notNull().default(true),
});

export const PLAN_TIERS = ["pro", "enterprise"] as const;

export const plans = sqliteTable("plans", {
  id: text("id").primaryKey(),
  name: text("name").notNull(),
  tier: text("tier", { enum: PLAN_TIERS }).notNull(),
  periodDays: integer("period_days").notNull(),
  price: integer("price").notNull(),
  currency: text("currency").notNull().default("IDR"),
  /** Poses a day that cost nothing while the plan runs; null: no quota. */
  dailyPoseQuota: integer("daily_pose_quota"),
  unlimited: integer("unlimited", { mode: "boolean" }).notNull().default(false),
  position: integer("position").notNull(),
  active: integer("active", { mode: "boolean" }).notNull().default(true),
});

export const ORDER_KINDS = ["package", "plan"] as const;
export const ORDER_STATUSES = ["pending", "paid", "failed", "expired"] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

/**
 * One checkout. Its id is derived from (user, Idempotency-Key), so a retried checkout finds
 * the same row; what was bought is copied from the catalog at that moment. `status` only
 * moves by conditional updates: pending → paid | failed | expired, and failed | expired →
 * paid when a late payment is confirmed. Nothing ever leaves paid.
 */
export const orders = sqliteTable(
  "orders",
  {
    id: text("id").primaryKey(),
    /**
     * The buyer; not a foreign key, since a receipt outlives its buyer's account: erasing the
     * account replaces this with the erasure's anonymous id (README, "Delete my account").
     */
    userId: text("user_id").notNull(),
    kind: text("kind", { enum: ORDER_KINDS }).notNull(),
    packageId: text("package_id"),
    planId: text("plan_id"),
    /** What the item is called on the receipt. */
    itemName: text("item_name").notNull(),
    /** Credits the order grants when paid (package credits + bonus; 0 for a plan). */
    credits: integer("credits").notNull(),
    /** A plan's terms as bought (JSON), so a later catalog change never alters a paid period. */
    planTerms: text("plan_terms"),
    amount: integer("amount").notNull(),
    currency: text("currency").notNull(),
    status: text("status", { enum: ORDER_STATUSES }).notNull().default("pending"),
    requestHash: text("request_hash").notNull(),
    gateway: text("gateway").notNull(),
    /** The gateway's reference for the invoice, once it was created. */
    reference: text("reference"),
    paymentUrl: text("payment_url"),
    /** The gateway's payment method code and last result, for the receipt. */
    paymentMethod: text("payment_method"),
    error: text("error"),
    createdAt: integer("created_at").notNull().default(now),
    updatedAt: integer("updated_at").notNull().default(now),
    paidAt: integer("paid_at"),
    /** The last status check with the gateway (the cron polls pending orders). */
    checkedAt: integer("checked_at"),
  },
  (t) => [index("orders_user_idx").on(t.userId, t.createdAt), index("orders_status_idx").on(t.status, t.createdAt), uniqueIndex("orders_reference_idx").on(t.reference)],
);

/**
 * The offline sandbox gateway's own record of what the payer chose on its page, so its
 * status check answers like Duitku's would (development and test only).
 */
export const sandboxPayments = sqliteTable("sandbox_payments", {
  reference: text("reference").primaryKey(),
  orderId: text("order_id").notNull(),
  resultCode: text("result_code").notNull(),
  decidedAt: integer("decided_at").notNull().default(now),
});
