/**
 * After an item changes state: the generation's counters move with the item's own
 * conditional update (or are derived from its items off the hot path, never incremented
 * blindly), the user's sockets are told, and the last item's step settles the hold.
 */
import { eq, sql } from "drizzle-orm";
import { accountOf } from "../account/client";
import type { Config } from "../config/config";
import { db, type Db } from "../db/client";
import { type generationItems, generations } from "../db/schema";
import { log } from "../core/log";
import type { SettleResult } from "../account/types";
import type { ProgressEvent } from "../account/events";
import { thumbnailUrl } from "./view";
import { recordWork } from "../analytics/events";

export type GenerationRow = typeof generations.$inferSelect;
export type ItemRow = typeof generationItems.$inferSelect;

const FINAL = new Set<GenerationRow["status"]>(["completed", "partial", "failed", "cancelled"]);
export const isFinal = (status: GenerationRow["status"]) => FINAL.has(status);

const count = (status: ItemRow["status"]) => sql<number>`(SELECT COUNT(*) FROM generation_items WHERE generation_id = ${generations.id} AND status = ${status})`;

export async function recount(database: Db, generationId: string): Promise<GenerationRow | undefined> {
  const [row] = await database
    .update(generations)
    .set({ completed: count("completed"), failed: count("failed"), cancelled: count("cancelled"), updatedAt: Date.now() })
    .where(eq(generations.id, generationId))
    .returning();
  return row;
}

/** The status a generation ends in, from its final counters. */
export function finalStatus(g: Pick<GenerationRow, "total" | "completed" | "cancelled">): GenerationRow["status"] {
  if (g.cancelled > 0) return "cancelled";
  if (g.completed === g.total) return "completed";
  return g.completed > 0 ? "partial" : "failed";
}

/**
 * The same rules in SQL, for the finish statement that finalizes in the item's own write:
 * the status above, and the capture the hold's settle makes (completed items beyond the
 * free ones, at unit cost: the hold is `cost = (total − free) × unit cost`).
 */
export const FINAL_STATUS_SQL = sql.raw("CASE WHEN cancelled > 0 THEN 'cancelled' WHEN completed = total THEN 'completed' WHEN completed > 0 THEN 'partial' ELSE 'failed' END");
export const CAPTURE_SQL = sql.raw("MAX(0, cost - (total - completed) * unit_cost)");

const isDone = (g: Pick<GenerationRow, "total" | "completed" | "failed" | "cancelled">) => g.completed + g.failed + g.cancelled === g.total;

/** Settles the hold of a generation whose items are all terminal (recovery, cancel, failed enqueue); safe to race and repeat. */
export async function finalize(env: Env, generation: GenerationRow): Promise<GenerationRow> {
  if (isFinal(generation.status) && generation.charged !== null) return generation;
  const settled = await accountOf(env, generation.userId).generationStep({
    generationId: generation.id,
    progress: null,
    finish: { completedItems: generation.completed, status: finalStatus(generation) },
  });
  return recordSettlement(env, generation, settled);
}

/**
 * Records the settle the Account object made, with the final status. Safe to race and to
 * repeat: the object settles a hold once and replays the outcome; only the caller whose
 * conditional update wins records the analytics. A hold that was already resolved for
 * another count (it should never be) is recorded as it stands — `charged` says what really
 * moved — with the mismatch in `error`, for reconciliation to report; it is never retried
 * into a loop or papered over.
 */
async function recordSettlement(env: Env, generation: GenerationRow, settled: SettleResult | null, overPrediction = false): Promise<GenerationRow> {
  if (!settled || (!settled.ok && settled.reason !== "mismatch")) {
    const reason = settled && !settled.ok ? settled.reason : "none";
    log("error", "generation.settle_failed", { generationId: generation.id, reason });
    throw new Error(`settle failed for generation ${generation.id}: ${reason}`);
  }
  if (!settled.ok) log("error", "generation.settle_mismatch", { generationId: generation.id, message: settled.message });
  const [done] = await db(env.DB)
    .update(generations)
    .set({
      status: finalStatus(generation),
      charged: settled.hold.captured,
      refunded: settled.hold.released,
      ...(settled.ok ? {} : { error: `Settlement mismatch: ${settled.message}` }),
      finishedAt: Date.now(),
      updatedAt: Date.now(),
    })
    .where(overPrediction ? eq(generations.id, generation.id) : sql`${generations.id} = ${generation.id} AND ${generations.charged} IS NULL`)
    .returning();
  if (!done) return (await db(env.DB).select().from(generations).where(eq(generations.id, generation.id)).get()) ?? generation;
  recordFinished(env, done);
  return done;
}

const recordFinished = (env: Env, g: GenerationRow) =>
  recordWork(env, { kind: "generation", appId: g.appId, status: g.status, latencyMs: (g.finishedAt ?? Date.now()) - g.createdAt, credits: g.charged ?? 0, id: g.id, error: g.error });

/** The item's progress event, with the generation's counters as they stand after it. */
async function progressOf(config: Config, generation: GenerationRow, item: ItemRow): Promise<ProgressEvent> {
  return {
    type: "generation.progress",
    at: Date.now(),
    generationId: generation.id,
    status: generation.status,
    completed: generation.completed,
    failed: generation.failed,
    total: generation.total,
    item: { key: item.key, status: item.status, thumbnailUrl: await thumbnailUrl(config, item) },
  };
}

/**
 * Announces an item's new state, given the generation's counters as they stand after it,
 * in one Account call that also settles the hold when this item was the last: `finalized`
 * is the row the item's own finish write already made final (with the predicted capture),
 * else a generation that is done is settled and then recorded.
 */
export async function itemChanged(env: Env, config: Config, generation: GenerationRow, item: ItemRow, finalized?: GenerationRow): Promise<GenerationRow> {
  const progress = await progressOf(config, generation, item);
  if (finalized) return confirmSettlement(env, finalized, progress);
  const done = isDone(generation);
  const settled = await accountOf(env, generation.userId).generationStep({
    generationId: generation.id,
    progress,
    finish: done ? { completedItems: generation.completed, status: finalStatus(generation) } : null,
  });
  return done ? recordSettlement(env, generation, settled) : generation;
}

/**
 * A generation D1 already holds as final, with the capture its counters predict: the
 * Account object settles for the same items (a replay when it already did, e.g. after a
 * crash between the two). The usual answer matches and needs no write; a hold resolved
 * otherwise is recorded as it stands, with the mismatch, as `recordSettlement` does.
 */
export async function confirmSettlement(env: Env, generation: GenerationRow, progress: ProgressEvent | null): Promise<GenerationRow> {
  const settled = await accountOf(env, generation.userId).generationStep({
    generationId: generation.id,
    progress,
    finish: { completedItems: generation.completed, status: generation.status },
  });
  if (settled?.ok && settled.hold.captured === generation.charged && settled.hold.released === generation.refunded) {
    if (!settled.replayed) recordFinished(env, generation);
    return generation;
  }
  return recordSettlement(env, generation, settled, true);
}

/** Recounts after items changed outside the hot path (cancel, dead letters, recovery), then announces the last of them. */
export async function itemsChanged(env: Env, config: Config, item: ItemRow): Promise<GenerationRow | undefined> {
  const generation = await recount(db(env.DB), item.generationId);
  return generation ? itemChanged(env, config, generation, item) : undefined;
}
