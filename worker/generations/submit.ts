/**
 * Submitting a generation: plan → reserve the whole cost as one hold → write the
 * generation and its items in one D1 batch → one queue message per item.
 * The generation id is derived from (user, Idempotency-Key) and the reserve carries a
 * digest of the whole request, so the key names one request forever: a retry or a
 * concurrent duplicate replays it, the same key with another project or body is a 409,
 * and deleting what it made never frees it (the hold outlives the rows).
 * Only the request whose reserve created the hold writes the rows; so when that write
 * fails, it alone may give the hold back — no racing duplicate is undone.
 */
import { and, eq, inArray } from "drizzle-orm";
import { accountOf } from "../account/client";
import type { AppDefinition, Plan } from "./contract";
import type { Config } from "../config/config";
import { UNLIMITED_TAG } from "../auth/users";
import { db, type Db } from "../db/client";
import { generationItems, generations } from "../db/schema";
import type { AuthUser } from "../http/context";
import { ApiError, rateLimited } from "../core/errors";
import { idFromKey, requestHash } from "../http/idempotency";
import { log } from "../core/log";
import { cheapestPlanOf } from "../billing/catalog";
import { chooseModel } from "./models";
import type { ModelDefinition } from "./contract";
import { ownedProject } from "../projects/service";
import { chunked, IN_LIST_MAX, insertChunks } from "../db/chunks";
import { itemMessage, SEND_BATCH_LIMIT } from "./messages";
import { finalize, recount, type GenerationRow } from "./lifecycle";

/** An item's row id: its generation and its key, so one (generation, key) is one row. */
export const itemRowId = (generationId: string, key: string) => `${generationId}:${key}`;

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

/**
 * A generation's hold is first checked this long after the reserve: long enough for the
 * submit to write its rows; if none appear by then, the submit died and the hold goes back.
 */
const HOLD_CONFIRM_SECONDS = 120;

export async function existing(database: Db, id: string, userId: string, hash: string): Promise<GenerationRow | null> {
  const row = await database.select().from(generations).where(eq(generations.id, id)).get();
  if (!row || row.userId !== userId) return null;
  if (row.requestHash !== hash) throw new ApiError("CONFLICT", "This Idempotency-Key was already used for a different request");
  return row;
}

/** Every app's body takes `modelId`; the engine picks the model, the app's schema sees the rest. */
function splitModel(raw: unknown): { modelId: unknown; rest: unknown } {
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) return { modelId: undefined, rest: raw };
  const { modelId, ...rest } = raw as Record<string, unknown>;
  return { modelId, rest };
}

export async function submitGeneration({ env, config, user, app, idempotencyKey, body: raw }: SubmitInput): Promise<SubmitResult> {
  const database = db(env.DB);
  const { modelId, rest } = splitModel(raw);
  const model = chooseModel(config, env, app.manifest, modelId);
  const body = parseBody(app, rest);
  const appId = app.manifest.id;
  const project = await ownedProject(database, user.id, body.projectId, appId);
  const id = await idFromKey(user.id, "generation", idempotencyKey);
  // The default model hashes as before it had a name, so earlier keys still replay.
  const hash = await requestHash(model.default ? { appId, body } : { appId, body, modelId: model.id });

  const previous = await existing(database, id, user.id, hash);
  if (previous) return { generation: previous, replayed: true };

  const plan = await app.plan(body, { env, db: database, config, user, projectId: project.id, credits: model.credits });
  const total = plan.items.length;
  if (total < 1 || total > app.manifest.limits.maxItems) {
    throw new ApiError("UNPROCESSABLE", `A generation makes 1–${app.manifest.limits.maxItems} items; this one would make ${total}`);
  }

  return startPlanned({ env, user, id, appId, projectId: project.id, hash, params: body, prompt: app.prompt?.(body) ?? null, plan, model });
}

export interface PlannedStart {
  env: Env;
  user: Pick<AuthUser, "id" | "tags">;
  /** The generation id, also its hold id: derived from what names the request. */
  id: string;
  appId: string;
  projectId: string;
  /** Digest of the request: the same id with another request conflicts. */
  hash: string;
  /** The validated body, kept for views and recovery. */
  params: unknown;
  /** The user's prompt, when the app took one. */
  prompt?: string | null;
  plan: Plan;
  /** The model a new request chose (its tier is checked, its id goes with each item); a retry's items keep theirs. */
  model?: ModelDefinition;
}

/**
 * Reserve → write → enqueue for a generation already planned: the submit route and an
 * admin's retry of failed items both go this way, so both settle through one hold.
 */
export async function startPlanned({ env, user, id, appId, projectId, hash, params, prompt = null, plan, model }: PlannedStart): Promise<SubmitResult> {
  const database = db(env.DB);
  const total = plan.items.length;
  const account = accountOf(env, user.id);
  const reserved = await account.reserve({
    holdId: id,
    idempotencyKey: `generation:${id}`,
    items: total,
    unitCost: plan.unitCost,
    reference: { type: "generation", id },
    unlimited: user.tags.includes(UNLIMITED_TAG),
    quotaEligible: plan.quotaEligible,
    ...(model && model.tier !== "free" ? { requiredTier: model.tier } : {}),
    request: hash,
    expiresInSeconds: HOLD_CONFIRM_SECONDS,
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
      case "plan_required":
        throw await planRequired(database, model?.name ?? "chosen", model?.id ?? null, reserved.required);
      case "conflict":
        throw keyConflict();
    }
  }
  if (reserved.replayed) return { generation: await replayOf(database, id, user.id, hash, reserved.hold.status), replayed: true };

  const now = Date.now();
  const items = plan.items.map((item, position) => ({
    id: itemRowId(id, item.key),
    generationId: id,
    userId: user.id,
    key: item.key,
    position,
    params: JSON.stringify(model ? { ...item.params, modelId: model.id } : item.params),
    createdAt: now,
    updatedAt: now,
  }));
  try {
    await database.batch([
      database.insert(generations).values({
        id,
        userId: user.id,
        appId,
        projectId,
        requestHash: hash,
        params: JSON.stringify(params),
        prompt,
        total,
        unitCost: plan.unitCost,
        cost: reserved.hold.amount,
        createdAt: now,
        updatedAt: now,
      }),
      ...insertChunks(database, generationItems, items),
    ]);
  } catch (e) {
    log("error", "generation.write_failed", { generationId: id, error: e instanceof Error ? e.message : String(e) });
    if ((await afterFailedWrite(env, database, id, user.id)) !== "written") {
      throw new ApiError("SERVICE_UNAVAILABLE", "Could not save the generation; nothing was charged. Try again.");
    }
  }

  const generation = await enqueue(
    env,
    database,
    id,
    user.id,
    items.map((i) => i.id),
  );
  return { generation, replayed: false };
}

async function planRequired(database: Db, modelName: string, modelId: string | null, tier: ModelDefinition["tier"]): Promise<ApiError> {
  const plan = tier === "free" ? undefined : await cheapestPlanOf(database, tier);
  const unlock = plan ? `the ${plan.name} plan` : `a ${tier} plan`;
  return new ApiError("PLAN_REQUIRED", `The ${modelName} model needs ${unlock}`, { modelId, tier, plan: plan ? { id: plan.id, name: plan.name } : null });
}

const keyConflict = () => new ApiError("CONFLICT", "This Idempotency-Key was already used for a different request");

/**
 * A replayed reserve: the first request with this key made (or is making) the rows.
 * It never backs new work — the answer is that request's generation, or a 409.
 */
async function replayOf(database: Db, id: string, userId: string, hash: string, holdStatus: string): Promise<GenerationRow> {
  const row = await existing(database, id, userId, hash);
  if (row) return row;
  if (holdStatus === "open") throw new ApiError("CONFLICT", "The first request with this Idempotency-Key is still running; retry in a moment");
  throw new ApiError("CONFLICT", "The request with this Idempotency-Key did not complete and nothing was charged; send it again with a new key");
}

/**
 * The write failed — or its reply was lost after a commit. If the rows are there, the
 * submit goes on; if they are surely not, the hold goes back now; when even that cannot
 * be told, the hold stays and the Account object's expiry check gives it back once it
 * sees that no generation was written.
 */
async function afterFailedWrite(env: Env, database: Db, id: string, userId: string): Promise<"written" | "released" | "unknown"> {
  try {
    const row = await database
      .select({ id: generations.id })
      .from(generations)
      .where(and(eq(generations.id, id), eq(generations.userId, userId)))
      .get();
    if (row) return "written";
    await accountOf(env, userId).release(id);
    return "released";
  } catch (e) {
    log("warn", "generation.release_deferred", { generationId: id, error: e instanceof Error ? e.message : String(e) });
    return "unknown";
  }
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

  for (const ids of chunked(unsent, IN_LIST_MAX)) {
    await database.update(generationItems).set({ status: "failed", error: "Could not be queued; not charged", finishedAt: Date.now(), updatedAt: Date.now() }).where(inArray(generationItems.id, ids));
  }
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
