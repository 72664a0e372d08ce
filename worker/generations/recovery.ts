/**
 * Recovery, from the cron trigger and POST /api/admin/recovery. It heals what crashes
 * leave behind: items stuck past their lease or never delivered are re-sent (a bounded
 * number of times) or failed; generations whose items are all terminal are finalized.
 * Open holds without a generation are released by their Account object's alarm.
 * Running it twice in a row changes nothing the second time. One bad row never stops
 * the run: its failure is logged and counted (`errors`), and the rest goes on.
 */
import { and, eq, lt, or, sql } from "drizzle-orm";
import type { Config } from "../config/config";
import { db } from "../db/client";
import { generationItems, generations } from "../db/schema";
import { log } from "../core/log";
import { failItem } from "./consumer";
import { itemMessage } from "./messages";
import { finalize, recount } from "./lifecycle";

/** An item queued this long without a delivery is presumed lost (queues deliver within seconds). */
export const QUEUED_STALE_MS = 2 * 60_000;
export const MAX_RESENDS = 3;
const BATCH = 100;

export interface RecoveryReport {
  requeued: number;
  failed: number;
  finalized: number;
  released: number;
  /** Rows whose recovery threw; they are tried again on the next run. */
  errors: number;
}

export async function recover(env: Env, config: Config, now = Date.now()): Promise<RecoveryReport> {
  const database = db(env.DB);
  const report: RecoveryReport = { requeued: 0, failed: 0, finalized: 0, released: 0, errors: 0 };
  const guarded = async (what: string, id: string, step: () => Promise<void>) => {
    try {
      await step();
    } catch (e) {
      report.errors++;
      log("error", "recovery.row_failed", { what, id, error: e instanceof Error ? e.message : String(e) });
    }
  };

  const stuck = await database
    .select()
    .from(generationItems)
    .where(or(and(eq(generationItems.status, "processing"), lt(generationItems.leaseUntil, now)), and(eq(generationItems.status, "queued"), lt(generationItems.updatedAt, now - QUEUED_STALE_MS))))
    .limit(BATCH);
  for (const item of stuck) {
    await guarded("item", item.id, async () => {
      if (item.resends >= MAX_RESENDS) {
        if (await failItem(env, config, item.id, `Stuck after ${item.resends} re-sends; not charged`)) report.failed++;
        return;
      }
      // Claim the re-send first (conditional on the row we read) so two recoveries send once.
      const [claimed] = await database
        .update(generationItems)
        .set({ status: "queued", leaseUntil: null, resends: sql`${generationItems.resends} + 1`, updatedAt: now })
        .where(and(eq(generationItems.id, item.id), eq(generationItems.updatedAt, item.updatedAt), eq(generationItems.status, item.status)))
        .returning();
      if (!claimed) return;
      await env.GENERATION_QUEUE.send(itemMessage(item.generationId, item.id, item.userId), { contentType: "json" });
      report.requeued++;
    });
  }

  // Generations whose items are all terminal but which were never settled (crash before finalize).
  const unsettled = await database
    .select({ id: generations.id })
    .from(generations)
    .where(and(sql`${generations.charged} IS NULL`, sql`NOT EXISTS (SELECT 1 FROM generation_items i WHERE i.generation_id = ${generations.id} AND i.status IN ('queued', 'processing'))`))
    .limit(BATCH);
  for (const { id } of unsettled) {
    await guarded("generation", id, async () => {
      const counted = await recount(database, id);
      if (!counted) return;
      const done = await finalize(env, counted);
      report.finalized++;
      if ((done.refunded ?? 0) > 0) report.released++;
    });
  }
  if (report.requeued + report.failed + report.finalized + report.errors > 0) log(report.errors > 0 ? "warn" : "info", "recovery", { ...report });
  return report;
}
