/**
 * What the Account object's RPCs accept, checked at the object's boundary: a caller is another
 * Worker isolate, and a bad argument must fail there rather than reach the ledger.
 */
import { z } from "zod";
import { GENERATION_STATUSES } from "../db/schema";

export const Key = z.string().min(1).max(200);
export const SessionId = z.string().min(1).max(64);
export const Reason = z.string().min(1).max(40);
const Ref = z.object({ type: z.string().min(1).max(40), id: z.string().min(1).max(128) });

export const ReserveSchema = z.object({
  holdId: Key,
  idempotencyKey: Key,
  items: z.number().int().min(1).max(10_000),
  unitCost: z.number().int().min(0).max(1_000_000),
  reference: Ref,
  unlimited: z.boolean().optional(),
  quotaEligible: z.boolean().optional(),
  requiredTier: z.enum(["free", "pro", "enterprise"]).optional(),
  request: z.string().min(1).max(128).optional(),
  expiresInSeconds: z
    .number()
    .int()
    .min(1)
    .max(7 * 86_400)
    .optional(),
});

export const CreditSchema = z
  .object({
    idempotencyKey: Key,
    amount: z
      .number()
      .int()
      .min(-100_000_000)
      .max(100_000_000)
      .refine((n) => n !== 0, "amount must not be zero"),
    kind: z.enum(["grant", "purchase", "adjustment", "refund"]),
    reference: Ref.nullable(),
    description: z.string().min(1).max(200),
  })
  .refine((c) => c.kind === "adjustment" || c.amount > 0, { message: "only adjustments may be negative" });

export const PlanSchema = z.object({
  idempotencyKey: Key,
  planId: z.string().min(1).max(64),
  name: z.string().min(1).max(80),
  tier: z.enum(["pro", "enterprise"]),
  periodDays: z.number().int().min(1).max(3660),
  dailyPoseQuota: z.number().int().min(0).max(100_000).nullable(),
  unlimited: z.boolean(),
});

export const StepSchema = z.object({
  generationId: Key,
  progress: z
    .object({ type: z.literal("generation.progress"), generationId: Key })
    .loose()
    .nullable(),
  finish: z.object({ completedItems: z.number().int().min(0), status: z.enum(GENERATION_STATUSES) }).nullable(),
});

export const QuotaSchema = z.object({ idempotencyKey: Key, limit: z.number().int().min(0).max(100_000), expiresAt: z.iso.datetime() });
