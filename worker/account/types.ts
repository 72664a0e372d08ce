/** Shapes that cross the Account object's RPC boundary. */
import type { GenerationStatus, ProgressEvent } from "./events";

/** A user with this tag is never charged (the old product's Enterprise accounts). */
export const UNLIMITED_TAG = "enterprise_unlimited";

export type EntryKind = "grant" | "purchase" | "capture" | "release" | "refund" | "adjustment" | "usage";
export type CreditKind = "grant" | "purchase" | "adjustment" | "refund";

export interface Reference {
  type: string;
  id: string;
}

export interface Entry {
  id: string;
  kind: EntryKind;
  amount: number;
  balanceAfter: number;
  reference: string | null;
  description: string;
  createdAt: string;
}

export interface DailyQuota {
  limit: number;
  used: number;
  /** Quota is active until this time (ISO). */
  expiresAt: string;
}

export type Tier = "free" | "pro" | "enterprise";

/** A paid plan while it runs. */
export interface ActivePlan {
  planId: string;
  name: string;
  tier: Exclude<Tier, "free">;
  dailyPoseQuota: number | null;
  unlimited: boolean;
  startsAt: string;
  endsAt: string;
}

export interface PlanInput {
  idempotencyKey: string;
  planId: string;
  name: string;
  tier: Exclude<Tier, "free">;
  periodDays: number;
  dailyPoseQuota: number | null;
  unlimited: boolean;
}

export type PlanResult = { ok: true; plan: ActivePlan; replayed: boolean } | Conflict;

export interface Balance {
  balance: number;
  held: number;
  available: number;
  dailyQuota: DailyQuota | null;
  plan: ActivePlan | null;
}

export type HoldStatus = "open" | "settled" | "released";

export interface Hold {
  id: string;
  amount: number;
  items: number;
  unitCost: number;
  /** Items covered by the daily quota or the unlimited tag: never charged. */
  freeItems: number;
  status: HoldStatus;
  captured: number;
  released: number;
  /** Items the hold was settled for (null while open or when released). */
  completedItems: number | null;
  /** What the hold is for, as "type:id" (e.g. "generation:<id>"). */
  reference: string;
  createdAt: string;
  expiresAt: string;
}

export interface ReserveInput {
  holdId: string;
  idempotencyKey: string;
  items: number;
  unitCost: number;
  reference: Reference;
  /** `enterprise_unlimited`: nothing is charged, usage is still recorded. */
  unlimited?: boolean;
  /** Items of this kind may be covered by an active daily quota. */
  quotaEligible?: boolean;
  /** The tier the chosen model needs; below it the reserve is refused (plan_required). */
  requiredTier?: Tier;
  /** A digest of the whole client request behind this reserve: the same key with another request conflicts. */
  request?: string;
  expiresInSeconds?: number;
}

export type Conflict = { ok: false; reason: "conflict"; message: string };

export type ReserveResult =
  | { ok: true; hold: Hold; replayed: boolean }
  | { ok: false; reason: "insufficient"; required: number; available: number }
  | { ok: false; reason: "rate_limited"; retryAfterSeconds: number }
  | { ok: false; reason: "plan_required"; tier: Tier; required: Tier }
  | Conflict;

export type SettleResult =
  | { ok: true; hold: Hold; replayed: boolean }
  | { ok: false; reason: "not_found" }
  /** The hold was already resolved for another number of items: reported, never papered over. */
  | { ok: false; reason: "mismatch"; hold: Hold; message: string }
  | Conflict;

/** One step of a generation, sent as one call: an item's progress and, when it was the last, the settle. */
export interface GenerationStep {
  generationId: string;
  progress: ProgressEvent | null;
  /** Set once every item is terminal: the hold is settled for `completedItems` and the outcome announced. */
  finish: { completedItems: number; status: GenerationStatus } | null;
}

export interface CreditInput {
  idempotencyKey: string;
  amount: number;
  kind: CreditKind;
  reference: Reference | null;
  description: string;
}

export type CreditResult =
  | { ok: true; entry: Entry; replayed: boolean }
  | { ok: false; reason: "below_held"; balance: number; held: number }
  | { ok: false; reason: "refund_exceeds_charge"; refundable: number }
  | Conflict;

export interface QuotaInput {
  idempotencyKey: string;
  limit: number;
  expiresAt: string;
}

export interface HistoryPage {
  items: Entry[];
  nextCursor: string | null;
}

export interface LedgerAudit {
  balance: number;
  entrySum: number;
  held: number;
  openHolds: number;
}

export interface AccountAudit extends LedgerAudit {
  userId: string | null;
  /** Mutations not yet written to the D1 projection (it follows within seconds). */
  projectionPending: boolean;
}
