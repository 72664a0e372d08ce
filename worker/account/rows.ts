/** The ledger's rows (entries, holds, the plan) as the Account object's SQLite stores them, and as the API shows them. */
import type { ChainedEntry } from "../core/chain";
import type { ActivePlan, Entry, EntryKind, Hold, HoldStatus } from "./types";

export type Row = Record<string, SqlStorageValue>;

export interface EntryRow extends Row {
  seq: number;
  id: string;
  kind: EntryKind;
  amount: number;
  balance_after: number;
  reference: string | null;
  description: string;
  created_at: number;
  /** Null only between migration 3's column and its backfill. */
  hash: string | null;
}

export function toEntry(r: EntryRow): Entry {
  return {
    id: r.id,
    kind: r.kind,
    amount: r.amount,
    balanceAfter: r.balance_after,
    reference: r.reference,
    description: r.description,
    createdAt: new Date(r.created_at).toISOString(),
  };
}

export function toChainedEntry(r: EntryRow): ChainedEntry {
  return { ...toEntry(r), hash: r.hash ?? "" };
}

export interface HoldRow extends Row {
  id: string;
  amount: number;
  items: number;
  unit_cost: number;
  free_items: number;
  quota_day: string | null;
  reference: string;
  status: HoldStatus;
  completed_items: number | null;
  captured: number;
  released: number;
  expires_at: number;
  created_at: number;
}

export function toHold(r: HoldRow): Hold {
  return {
    id: r.id,
    amount: r.amount,
    items: r.items,
    unitCost: r.unit_cost,
    freeItems: r.free_items,
    status: r.status,
    captured: r.captured,
    released: r.released,
    completedItems: r.completed_items,
    reference: r.reference,
    createdAt: new Date(r.created_at).toISOString(),
    expiresAt: new Date(r.expires_at).toISOString(),
  };
}

export interface PlanRow extends Row {
  plan_id: string;
  name: string;
  tier: ActivePlan["tier"];
  daily_pose_quota: number | null;
  unlimited: number;
  starts_at: number;
  ends_at: number;
}

export const toPlan = (r: PlanRow): ActivePlan => ({
  planId: r.plan_id,
  name: r.name,
  tier: r.tier,
  dailyPoseQuota: r.daily_pose_quota,
  unlimited: r.unlimited === 1,
  startsAt: new Date(r.starts_at).toISOString(),
  endsAt: new Date(r.ends_at).toISOString(),
});
