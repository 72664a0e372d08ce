/**
 * Submitting a generation: plan → reserve the whole cost as one hold → write the
 * generation and its items in one D1 batch → one queue message per item.
 * The generation id is derived from (user, Idempotency-Key), so retries and concurrent
 * duplicates collapse onto one hold and one row. Whatever fails after the reserve gives
 * the hold back: nobody pays for work that was never queued.
 */
import { eq, inArray } from "drizzle-orm";
import { accountOf } from "../account/client";
import type { AppDefinition } from "../apps/types";
import type { Config } from "../config/config";
import { UNLIMITED_TAG } from "../credits/routes";
import { db, type Db } from "../db/client";
import { generationItems, generations } from "../db/schema";
import type { AuthUser } from "../http/context";
import { ApiError, rateLimited } from "../http/errors";
import { idFromKey, requestHash } from "../http/idempotency";
import { log } from "../http/log";
import { ownedProject } from "../projects/service";
import { itemMessage, SEND_BATCH_LIMIT } from "./messages";
import { finalize, recount, type GenerationRow } from "./progress";

export interface SubmitInput {
  env: Env;
  config: Config;
  user: AuthUser;
  app: AppDefinition;
  idempotencyKey: string;
  body: unknown;
}

export interface SubmitResult {
  generation: GenerationRow;
  replayed: boolean;
}

function parseBody(app: AppDefinition, body: unknown) {
  const parsed = app.body.safeParse(body);
  if (!parsed.success) {
    throw new ApiError(
      "VALIDATION_ERROR",
      `Invalid body: ${parsed.error.issues.map((i) => `${i.path.join(".") || "body"} ${i.message}`).join("; ")}`,
      parsed.error.issues.map((i) => ({ path: i.path, code: i.code, message: i.message })),
    );
  }
  return parsed.data;
}

async function existing(database: Db, id: string, userId: string, hash: string): Promise<GenerationRow | null> {
  const row = await database.select().from(generations).where(eq(generations.id, id)).get();
  if (!row || row.userId !== userId) return null;
  if (row.requestHash !== hash) throw new ApiError("CONFLICT", "This Idempotency-Key was already used for a different request");
  return row;
}

export async function submitGeneration({ env, config, user, app, idempotencyKey, body: raw }: SubmitInput): Promise<SubmitResult> {
  const database = db(env.DB);
  const body = parseBody(app, raw);
  const appId = app.manifest.id;
  const project = await ownedProject(database, user.id, body.projectId, appId);
  const id = await idFromKey(user.id, "generation", idempotencyKey);
  const hash = await requestHash({ appId, body });

  const previous = await existing(database, id, user.id, hash);
  if (previous) return { generation: previous, replayed: true };

  const plan = await app.plan(body, { env, db: database, config, user, projectId: project.id });
  const total = plan.items.length;
  if (total < 1 || total > app.manifest.limits.maxItems) {
    throw new ApiError("UNPROCESSABLE", `A generation makes 1–${app.manifest.limits.maxItems} items; this one would make ${total}`);
  }

  const account = accountOf(env, user.id);
  const reserved = await account.reserve({
    holdId: id,
    idempotencyKey: `generation:${id}`,
    items: total,
    unitCost: plan.unitCost,
    reference: { type: "generation", id },
    unlimited: user.tags.includes(UNLIMITED_TAG),
    quotaEligible: plan.quotaEligible,
  });
  if (!reserved.ok) {
    switch (reserved.reason) {
      case "insufficient":
        throw new ApiError("INSUFFICIENT_CREDITS", `This needs ${reserved.required} credits; you have ${reserved.available} available`, {
          required: reserved.required,
          available: reserved.available,
        });
      case "rate_limited":
        throw rateLimited(reserved.retryAfterSeconds, "You are generating faster than your plan allows");
      case "conflict":
        throw new ApiError("CONFLICT", "A request with this Idempotency-Key is still running or used other parameters");
    }
  }

  const now = Date.now();
  const items = plan.items.map((item, position) => ({
    id: `${id}:${item.key}`,
    generationId: id,
    userId: user.id,
    key: item.key,
    position,
    params: JSON.stringify(item.params),
    createdAt: now,
    updatedAt: now,
  }));
  try {
    const [inserted] = await database.batch([
      database
        .insert(generations)
        .values({
          id,
          userId: user.id,
          appId,
          projectId: project.id,
          requestHash: hash,
          params: JSON.stringify(body),
          total,
          unitCost: plan.unitCost,
          cost: reserved.hold.amount,
          createdAt: now,
          updatedAt: now,
        })
        .onConflictDoNothing()
        .returning({ id: generations.id }),
      database.insert(generationItems).values(items).onConflictDoNothing(),
    ]);
    if (inserted.length === 0) {
      // A concurrent duplicate wrote the row first; it also sends the messages.
      const row = await existing(database, id, user.id, hash);
      if (row) return { generation: row, replayed: true };
    }
  } catch (e) {
    log("error", "generation.write_failed", { generationId: id, error: e instanceof Error ? e.message : String(e) });
    await account.release(id);
    throw new ApiError("SERVICE_UNAVAILABLE", "Could not save the generation; nothing was charged. Try again.");
  }

  const generation = await enqueue(env, database, id, user.id, items.map((i) => i.id));
  return { generation, replayed: false };
}

/** Sends one message per item; items whose send failed are failed now, never left waiting. */
async function enqueue(env: Env, database: Db, generationId: string, userId: string, itemIds: string[]): Promise<GenerationRow> {
  const unsent: string[] = [];
  for (let i = 0; i < itemIds.length; i += SEND_BATCH_LIMIT) {
    const chunk = itemIds.slice(i, i + SEND_BATCH_LIMIT);
    try {
      await env.GENERATION_QUEUE.sendBatch(chunk.map((itemId) => ({ body: itemMessage(generationId, itemId, userId), contentType: "json" as const })));
    } catch (e) {
      log("error", "generation.enqueue_failed", { generationId, items: chunk.length, error: e instanceof Error ? e.message : String(e) });
      unsent.push(...chunk);
    }
  }
  if (unsent.length === 0) return (await database.select().from(generations).where(eq(generations.id, generationId)).get())!;

  await database
    .update(generationItems)
    .set({ status: "failed", error: "Could not be queued; not charged", finishedAt: Date.now(), updatedAt: Date.now() })
    .where(inArray(generationItems.id, unsent));
  if (unsent.length === itemIds.length) {
    await database.update(generations).set({ error: "The generation could not be queued; nothing was charged" }).where(eq(generations.id, generationId));
  }
  const counted = await recount(database, generationId);
  if (!counted) throw new Error(`generation ${generationId} vanished`);
  const done = counted.completed + counted.failed + counted.cancelled === counted.total ? await finalize(env, counted) : counted;
  if (unsent.length === itemIds.length) {
    throw new ApiError("SERVICE_UNAVAILABLE", "The generation could not be queued; nothing was charged. Try again.", { generationId: done.id });
  }
  return done;
}

