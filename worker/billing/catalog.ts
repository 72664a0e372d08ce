/** The catalog people buy from: active credit packages and plans, in their listing order. */
import { and, asc, eq } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "../db/client";
import { creditPackages, plans } from "../db/billing";

export const PackageView = z.object({
  id: z.string(),
  name: z.string(),
  credits: z.number().int(),
  bonusCredits: z.number().int(),
  price: z.number().int(),
  currency: z.literal("IDR"),
});

export const PlanView = z.object({
  id: z.string(),
  name: z.string(),
  tier: z.enum(["pro", "enterprise"]),
  periodDays: z.number().int(),
  price: z.number().int(),
  currency: z.literal("IDR"),
  dailyPoseQuota: z.number().int().nullable(),
  unlimited: z.boolean(),
});

export type PackageRow = typeof creditPackages.$inferSelect;
export type PlanRow = typeof plans.$inferSelect;

const packageView = (p: PackageRow): z.infer<typeof PackageView> => ({
  id: p.id,
  name: p.name,
  credits: p.credits,
  bonusCredits: p.bonusCredits,
  price: p.price,
  currency: "IDR",
});

const planView = (p: PlanRow): z.infer<typeof PlanView> => ({
  id: p.id,
  name: p.name,
  tier: p.tier,
  periodDays: p.periodDays,
  price: p.price,
  currency: "IDR",
  dailyPoseQuota: p.dailyPoseQuota,
  unlimited: p.unlimited,
});

export async function listPackages(database: Db) {
  return (await database.select().from(creditPackages).where(eq(creditPackages.active, true)).orderBy(asc(creditPackages.position))).map(packageView);
}

export async function listPlans(database: Db) {
  return (await database.select().from(plans).where(eq(plans.active, true)).orderBy(asc(plans.position))).map(planView);
}

export const activePackage = (database: Db, id: string) =>
  database
    .select()
    .from(creditPackages)
    .where(and(eq(creditPackages.id, id), eq(creditPackages.active, true)))
    .get();

export const activePlan = (database: Db, id: string) =>
  database
    .select()
    .from(plans)
    .where(and(eq(plans.id, id), eq(plans.active, true)))
    .get();

/** The terms a plan order carries from checkout to the Account object. */
export const PlanTerms = z.object({
  name: z.string().min(1).max(80),
  tier: z.enum(["pro", "enterprise"]),
  periodDays: z.number().int().min(1),
  dailyPoseQuota: z.number().int().min(0).nullable(),
  unlimited: z.boolean(),
});
export type PlanTerms = z.infer<typeof PlanTerms>;

/** The cheapest active plan of a tier, to name in a PLAN_REQUIRED answer. */
export const cheapestPlanOf = (database: Db, tier: "pro" | "enterprise") =>
  database
    .select()
    .from(plans)
    .where(and(eq(plans.tier, tier), eq(plans.active, true)))
    .orderBy(asc(plans.price))
    .limit(1)
    .get();
