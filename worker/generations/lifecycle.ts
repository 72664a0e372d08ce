/**
 * After an item changes state: derive the generation's counters from its items (never
 * increment), tell the user's sockets, and finalize once every item is terminal.
 */
import { eq, sql } from "drizzle-orm";
import { accountOf } from "../account/client";
import type { Config } from "../config/config";
import { db, type Db } from "../db/client";
import { type generationItems, generations } from "../db/schema";
import { log } from "../core/log";
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
 * Settles the hold for exactly the completed items and records the final status.
 * Safe to race and to repeat: the Account object settles a hold once and replays the
 * outcome; only the caller whose conditional update wins announces the result.
 * A hold that was already resolved for another count (it should never be) is recorded as
 * it stands — `charged` says what really moved — with the mismatch in `error`, for
 * reconciliation to report; it is never retried into a loop or papered over.
 */
export async function finalize(env: Env, generation: GenerationRow): Promise<GenerationRow> {
  if (isFinal(generation.status) && generation.charged !== null) return generation;
  const settled = await accountOf(env, generation.userId).settle(generation.id, generation.completed);
  if (!settled.ok && settled.reason !== "mismatch") {
    log("error", "generation.settle_failed", { generationId: generation.id, reason: settled.reason });
    throw new Error(`settle failed for generation ${generation.id}: ${settled.reason}`);
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
    .where(sql`${generations.id} = ${generation.id} AND ${generations.charged} IS NULL`)
    .returning();
  if (!done) return (await db(env.DB).select().from(generations).where(eq(generations.id, generation.id)).get()) ?? generation;
  recordWork(env, {
    kind: "generation",
    appId: done.appId,
    status: done.status,
    latencyMs: (done.finishedAt ?? Date.now()) - done.createdAt,
    credits: done.charged ?? 0,
    id: done.id,
    error: done.error,
  });
  await accountOf(env, done.userId).notify({
    type: "generation.finished",
    at: Date.now(),
    generationId: done.id,
    status: done.status,
    charged: done.charged,
    refunded: done.refunded,
  });
  return done;
}

export interface ItemChange {
  generation: GenerationRow;
  /** False once the generation's hold is resolved: nothing more may be produced for it. */
  holdOpen: boolean;
}

/** Announces an item's new state and finalizes the generation if it was the last one. */
export async function itemChanged(env: Env, config: Config, item: ItemRow): Promise<ItemChange | undefined> {
  const generation = await recount(db(env.DB), item.generationId);
  if (!generation) return undefined;
  const { holdOpen } = await accountOf(env, generation.userId).itemProgress({
    type: "generation.progress",
    at: Date.now(),
    generationId: generation.id,
    status: generation.status,
    completed: generation.completed,
    failed: generation.failed,
    total: generation.total,
    item: { key: item.key, status: item.status, thumbnailUrl: await thumbnailUrl(config, item) },
  });
  if (generation.completed + generation.failed + generation.cancelled === generation.total) return { generation: await finalize(env, generation), holdOpen: false };
  return { generation, holdOpen };
}
