/**
 * The generation queue's consumer. Queues deliver at least once and unordered, so every
 * step is conditional on the item's state: a redelivered or duplicate message finds the
 * item claimed or terminal and does nothing; outputs land on deterministic R2 keys.
 */
import { and, eq, lt, or, sql } from "drizzle-orm";
import type { Catalog } from "./catalog";
import type { ItemOutput } from "./contract";
import { loadConfig, type Config } from "../config/config";
import { db, type Db } from "../db/client";
import { generationItems, generations, releasedHolds } from "../db/schema";
import { log } from "../core/log";
import { outputKey } from "../storage/keys";
import type { StoredOutputs } from "./view";
import { errorMessage } from "../core/errors";
import { backoffSeconds, isPermanent } from "./failures";
import { ItemMessage } from "./messages";
import { CAPTURE_SQL, confirmSettlement, FINAL_STATUS_SQL, isFinal, itemChanged, itemsChanged, type GenerationRow, type ItemRow } from "./lifecycle";
import { renderItem, withPreview } from "./item-work";
import { recordFailure, recordWork } from "../analytics/events";

/** How long one attempt may hold an item before recovery may hand it to another. */
export const LEASE_MS = 5 * 60_000;

type Outcome = "done" | "retry";

export async function consumeGenerationBatch(batch: MessageBatch<unknown>, env: Env, catalog: Catalog): Promise<void> {
  const config = loadConfig(env);
  if (!config.ok) {
    log("error", "queue.config_invalid", { problems: config.problems.join("; ") });
    batch.retryAll({ delaySeconds: 60 });
    return;
  }
  await Promise.all(
    batch.messages.map(async (msg) => {
      const parsed = ItemMessage.safeParse(msg.body);
      if (!parsed.success) {
        log("error", "queue.bad_message", { id: msg.id, error: parsed.error.message.slice(0, 300) });
        msg.ack();
        return;
      }
      try {
        const outcome = await processItem(env, config.config, catalog, parsed.data, msg.attempts);
        if (outcome === "retry") msg.retry({ delaySeconds: backoffSeconds(msg.attempts, config.config.QUEUE_RETRY_BASE_SECONDS) });
        else msg.ack();
      } catch (e) {
        log("error", "queue.item_crashed", { itemId: parsed.data.itemId, attempt: msg.attempts, error: errorMessage(e) });
        msg.retry({ delaySeconds: backoffSeconds(msg.attempts, config.config.QUEUE_RETRY_BASE_SECONDS) });
      }
    }),
  );
}

async function processItem(env: Env, config: Config, catalog: Catalog, message: ItemMessage, attempt: number): Promise<Outcome> {
  const database = db(env.DB);
  const claim = await claimItem(database, message, Date.now());
  if (!claim) return afterLostClaim(env, config, message);
  const { claimed, generation } = claim;

  let outputs: ItemOutput[];
  try {
    const app = catalog.generating(generation.appId);
    outputs = await renderItem(env, database, config, app, { generationId: generation.id, userId: generation.userId, key: claimed.key, params: claimed.params }, attempt);
  } catch (e) {
    const permanent = isPermanent(e);
    recordFailure(env, {
      appId: generation.appId,
      itemId: claimed.id,
      status: permanent ? "provider-permanent" : "provider-retry",
      attempt,
      latencyMs: Date.now() - claimed.createdAt,
      error: errorMessage(e),
    });
    if (permanent) {
      await finishItem(env, config, claimed, { status: "failed", error: errorMessage(e) });
      return "done";
    }
    log("warn", "queue.item_retry", { itemId: claimed.id, attempt, error: errorMessage(e) });
    await database
      .update(generationItems)
      .set({ status: "queued", leaseUntil: null, error: `Attempt ${attempt} failed: ${errorMessage(e)}`, updatedAt: Date.now() })
      .where(heldBy(claimed));
    return "retry";
  }

  const stored = await storeOutputs(env, generation.userId, generation.projectId, generation.id, claimed.key, outputs);
  await finishItem(env, config, claimed, { status: "completed", outputs: JSON.stringify(stored) });
  return "done";
}

/**
 * The claim, in one D1 round trip: the item turns processing under a new lease (unless
 * another delivery holds it, it is terminal, or its generation's hold was released), the
 * generation follows from queued, and the generation's row comes back for the work.
 */
async function claimItem(database: Db, message: ItemMessage, now: number): Promise<{ claimed: ItemRow; generation: GenerationRow } | null> {
  const leaseUntil = now + LEASE_MS;
  const [[claimed], , [generation]] = await database.batch([
    database
      .update(generationItems)
      .set({ status: "processing", attempts: sql`${generationItems.attempts} + 1`, leaseUntil, updatedAt: now })
      .where(
        and(
          eq(generationItems.id, message.itemId),
          eq(generationItems.generationId, message.generationId),
          eq(generationItems.userId, message.userId),
          or(eq(generationItems.status, "queued"), and(eq(generationItems.status, "processing"), lt(generationItems.leaseUntil, now))),
          sql`NOT EXISTS (SELECT 1 FROM released_holds r WHERE r.generation_id = ${message.generationId})`,
        ),
      )
      .returning(),
    database
      .update(generations)
      .set({ status: "processing", updatedAt: now })
      .where(
        and(
          eq(generations.id, message.generationId),
          eq(generations.status, "queued"),
          sql`EXISTS (SELECT 1 FROM generation_items i WHERE i.id = ${message.itemId} AND i.status = 'processing' AND i.lease_until = ${leaseUntil})`,
        ),
      ),
    database
      .select()
      .from(generations)
      .where(and(eq(generations.id, message.generationId), eq(generations.userId, message.userId)))
      .limit(1),
  ]);
  return claimed && generation ? { claimed, generation } : null;
}

/** The claim found nothing to do: say why, and finish what a crash or a released hold left. */
async function afterLostClaim(env: Env, config: Config, message: ItemMessage): Promise<Outcome> {
  const found = await db(env.DB)
    .select({ item: generationItems, generation: generations, released: releasedHolds.generationId })
    .from(generationItems)
    .innerJoin(generations, eq(generations.id, generationItems.generationId))
    .leftJoin(releasedHolds, eq(releasedHolds.generationId, generationItems.generationId))
    .where(and(eq(generationItems.id, message.itemId), eq(generationItems.userId, message.userId)))
    .get();
  if (!found) return "done"; // deleted with its project
  const { item, generation, released } = found;
  if (item.status === "completed" || item.status === "failed" || item.status === "cancelled") {
    // Redelivery after success; finish what a crash may have left undone (the settle replays when it was done).
    if (!isFinal(generation.status) || generation.charged === null) await itemsChanged(env, config, item);
    else await confirmSettlement(env, generation, null);
    return "done";
  }
  // Its hold was released (a submit that seemed to fail, an orphan check that lost a race): the work would be free.
  if (released !== null) await failItem(env, config, item.id, "Its credit hold is no longer open; not charged");
  return "done"; // otherwise another delivery holds the lease; recovery covers its crash
}

/** Writes every output (plus a small preview of the first image) under its deterministic key; R2 is strongly consistent. */
async function storeOutputs(env: Env, userId: string, projectId: string, generationId: string, itemKey: string, outputs: ItemOutput[]): Promise<StoredOutputs> {
  const all = await withPreview(outputs);
  const stored: StoredOutputs = {};
  await Promise.all(
    all.map(async (o) => {
      if ("stored" in o) {
        stored[o.format] = { key: o.stored.key, contentType: o.contentType, width: o.width, height: o.height, sizeBytes: o.stored.sizeBytes, durationMs: o.durationMs };
        return;
      }
      const { bytes, format, pixels: _pixels, ...facts } = o;
      const key = outputKey(userId, projectId, generationId, itemKey, format, facts.contentType);
      await env.FILES.put(key, bytes, { httpMetadata: { contentType: facts.contentType } });
      stored[format] = { key, ...facts };
    }),
  );
  return stored;
}

/**
 * An item finishes: processing → terminal (only under its own claim) and the generation's
 * counter moves with it, in one D1 transaction, whose counters tell whether it was the last.
 */
async function finishItem(env: Env, config: Config, item: ItemRow, change: { status: "completed" | "failed"; outputs?: string; error?: string }): Promise<void> {
  const now = Date.now();
  const database = db(env.DB);
  const stillHeld = sql`EXISTS (SELECT 1 FROM generation_items i WHERE i.id = ${item.id} AND i.status = 'processing' AND i.attempts = ${item.attempts})`;
  const counter = change.status === "completed" ? generations.completed : generations.failed;
  const finishedHere = sql`EXISTS (SELECT 1 FROM generation_items i WHERE i.id = ${item.id} AND i.status = ${change.status} AND i.attempts = ${item.attempts} AND i.finished_at = ${now})`;
  const [[generation], [row], [finalized]] = await database.batch([
    // First, while the item is still processing: the same transaction then turns it terminal.
    database
      .update(generations)
      .set({ [change.status]: sql`${counter} + 1`, updatedAt: now })
      .where(and(eq(generations.id, item.generationId), stillHeld))
      .returning(),
    database
      .update(generationItems)
      .set({ status: change.status, outputs: change.outputs ?? null, error: change.error ?? null, leaseUntil: null, finishedAt: now, updatedAt: now })
      .where(heldBy(item))
      .returning(),
    // The last item's finish is also the generation's: final status and the capture its counters predict.
    database
      .update(generations)
      .set({ status: sql`${FINAL_STATUS_SQL}`, charged: CAPTURE_SQL, refunded: sql`cost - ${CAPTURE_SQL}`, finishedAt: now, updatedAt: now })
      .where(and(eq(generations.id, item.generationId), sql`completed + failed + cancelled = total AND charged IS NULL`, finishedHere))
      .returning(),
  ]);
  if (row && generation) recordItem(env, row, await itemChanged(env, config, generation, row, finalized));
}

/** The item is still processing under this claim: an attempt that outlived its lease cannot touch a newer claim's item. */
const heldBy = (claim: ItemRow) => and(eq(generationItems.id, claim.id), eq(generationItems.status, "processing"), eq(generationItems.attempts, claim.attempts));

/** Dead-letter consumer: an item that exhausted its retries fails (and is never charged). */
export async function consumeDeadLetters(batch: MessageBatch<unknown>, env: Env): Promise<void> {
  const config = loadConfig(env);
  if (!config.ok) {
    batch.retryAll({ delaySeconds: 60 });
    return;
  }
  for (const msg of batch.messages) {
    const parsed = ItemMessage.safeParse(msg.body);
    if (parsed.success) {
      try {
        const reason = `Gave up after ${msg.attempts} attempts`;
        const failed = await failItem(env, config.config, parsed.data.itemId, reason);
        if (!failed) await afterLostClaim(env, config.config, parsed.data);
        // Only the delivery that failed the item counts it; a redelivered dead letter finds it terminal.
        else if (failed.appId)
          recordFailure(env, {
            appId: failed.appId,
            itemId: failed.item.id,
            status: "dead-letter",
            attempt: msg.attempts,
            latencyMs: (failed.item.finishedAt ?? Date.now()) - failed.item.createdAt,
            error: reason,
          });
      } catch (e) {
        log("error", "dlq.failed", { itemId: parsed.data.itemId, error: errorMessage(e) });
        msg.retry({ delaySeconds: backoffSeconds(msg.attempts, config.config.QUEUE_RETRY_BASE_SECONDS) });
        continue;
      }
    }
    msg.ack();
  }
}

/** Fails a non-terminal item (DLQ, recovery) and lets the generation finish; null when it was already terminal. */
export async function failItem(env: Env, config: Config, itemId: string, reason: string): Promise<{ item: ItemRow; appId: string | null } | null> {
  const now = Date.now();
  const [row] = await db(env.DB)
    .update(generationItems)
    .set({ status: "failed", error: reason, leaseUntil: null, finishedAt: now, updatedAt: now })
    .where(and(eq(generationItems.id, itemId), or(eq(generationItems.status, "queued"), eq(generationItems.status, "processing"))))
    .returning();
  if (!row) return null;
  const generation = await itemsChanged(env, config, row);
  recordItem(env, row, generation);
  return { item: row, appId: generation?.appId ?? null };
}

/** One data point per item that turned terminal here (the conditional update that won). */
function recordItem(env: Env, row: ItemRow, generation: GenerationRow | undefined): void {
  if (!generation) return;
  recordWork(env, { kind: "item", appId: generation.appId, status: row.status, latencyMs: (row.finishedAt ?? Date.now()) - row.createdAt, credits: 0, id: row.id, error: row.error });
}
