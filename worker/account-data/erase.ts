/**
 * Erasing an account, as a state machine that survives a crash at any point. `beginErasure`
 * stops the account at once (its email and password stop working, in one D1 batch, with the
 * erasure's row); then each step of ERASURE_STEPS runs, and only afterwards moves the row's
 * cursor on, so a run that dies midway is finished by the next one (the request itself, then
 * the cron). Every step is safe to run twice, and two runs at once only repeat each other's work.
 */
import { and, count, eq, gt, inArray, isNotNull, lt, or, sql } from "drizzle-orm";
import { accountOf } from "../account/client";
import { revokeAllSessions } from "../auth/sessions";
import { sha256 } from "../auth/tokens";
import type { Config } from "../config/config";
import { errorMessage } from "../core/errors";
import { log } from "../core/log";
import { db } from "../db/client";
import { orders } from "../db/billing";
import { ERASURE_STEPS, type ErasureStep, erasures } from "../db/erasures";
import { appSwitches, auditLog, generationItems, generationRetries, generations, rateLimits, recoveryRuns, users } from "../db/schema";
import { videoClips } from "../db/video-clips";
import { cancelGeneration } from "../generations/cancel";
import { userPrefix } from "../storage/keys";

/** Lets a test stop a run between a step's work and its cursor moving (a crash at the worst moment). */
export interface ErasureHooks {
  afterStep?: (step: ErasureStep) => void | Promise<void>;
}

export type ErasureStatus = "erased" | "erasing";

/**
 * Starts the erasure: one D1 batch records it and takes the user's email and password away
 * (login fails, and the email is free to register again). Running it again for a user already
 * being erased changes nothing.
 */
export async function beginErasure(env: Env, user: { id: string; email: string }): Promise<void> {
  const database = db(env.DB);
  const emailHash = await sha256(user.email);
  await database.batch([
    database
      .insert(erasures)
      .values({ userId: user.id, step: ERASURE_STEPS[0], anonymousId: `erased-${crypto.randomUUID()}`, emailHash })
      .onConflictDoNothing(),
    database
      .update(users)
      .set({ email: `erased+${user.id}@invalid`, name: "Deleted account", passwordHash: "!erased" })
      .where(eq(users.id, user.id)),
  ]);
}

/** The rate-limit counters kept under the user's id or their email's hash (the per-address ones run from "…:" to "…;"). */
const limitsOf = (userId: string, emailHash: string) =>
  or(
    sql`instr(${rateLimits.key}, ${userId}) > 0`,
    inArray(rateLimits.key, [`login:email:${emailHash}`, `register:email:${emailHash}`]),
    and(gt(rateLimits.key, `login:email-ip:${emailHash}:`), lt(rateLimits.key, `login:email-ip:${emailHash};`)),
  );

type Erasure = typeof erasures.$inferSelect;

const STEPS: Record<ErasureStep, (env: Env, config: Config, erasure: Erasure, deadline: number) => Promise<boolean>> = {
  /** Every access token ends with its session. */
  async sessions(env, _config, { userId }) {
    await revokeAllSessions(env, userId, "account_erased");
    return true;
  },
  /**
   * Running generations are cancelled (what has not started is never charged) and open uploads
   * aborted. An item already being made still writes its output and settles with the object
   * when it finishes, so the later steps wait until none is: otherwise its file would land
   * after the files step, with no owner left.
   */
  async work(env, config, { userId }) {
    const database = db(env.DB);
    const running = await database
      .select({ id: generations.id })
      .from(generations)
      .where(and(eq(generations.userId, userId), inArray(generations.status, ["queued", "processing"])));
    for (const g of running) await cancelGeneration(env, config, g.id);
    const uploads = await database
      .select({ objectKey: videoClips.objectKey, uploadId: videoClips.uploadId })
      .from(videoClips)
      .where(and(eq(videoClips.userId, userId), isNotNull(videoClips.uploadId)));
    for (const u of uploads) {
      // An upload that completed or was aborted already has nothing left to abort.
      await env.FILES.resumeMultipartUpload(u.objectKey, u.uploadId!)
        .abort()
        .catch(() => undefined);
    }
    const [making] = await database
      .select({ n: count() })
      .from(generationItems)
      .where(and(eq(generationItems.userId, userId), eq(generationItems.status, "processing")));
    return (making?.n ?? 0) === 0;
  },
  /** The ledger, holds, keys and sockets in the user's Account object. */
  async object(env, _config, { userId }) {
    await accountOf(env, userId).erase();
    return true;
  },
  /**
   * Every D1 row of the user: the user row, and with it (foreign keys, ON DELETE CASCADE) their
   * balance projection, projects, generations, items, avatars, carousels and
   * clips. Orders stay as receipts under the anonymous id; admin records that name the user
   * as their actor keep the record and lose the name.
   */
  async rows(env, _config, { userId, anonymousId, emailHash }) {
    const database = db(env.DB);
    await database.batch([
      database.update(orders).set({ userId: anonymousId }).where(eq(orders.userId, userId)),
      database.delete(auditLog).where(or(eq(auditLog.actorId, userId), eq(auditLog.targetId, userId))),
      database.delete(rateLimits).where(limitsOf(userId, emailHash)),
      database.update(generationRetries).set({ actorId: anonymousId }).where(eq(generationRetries.actorId, userId)),
      database.update(recoveryRuns).set({ actorId: anonymousId }).where(eq(recoveryRuns.actorId, userId)),
      database.update(appSwitches).set({ updatedBy: anonymousId }).where(eq(appSwitches.updatedBy, userId)),
      database.delete(users).where(eq(users.id, userId)),
    ]);
    return true;
  },
  /** Every R2 object under the user's prefix, a page at a time; false when the deadline came first. */
  async files(env, _config, { userId }, deadline) {
    for (;;) {
      const page = await env.FILES.list({ prefix: userPrefix(userId), limit: 1000 });
      if (page.objects.length === 0) return true;
      await env.FILES.delete(page.objects.map((o) => o.key));
      if (Date.now() > deadline) return false;
    }
  },
};

async function advance(env: Env, erasure: Erasure, step: ErasureStep): Promise<void> {
  const database = db(env.DB);
  const next = ERASURE_STEPS[ERASURE_STEPS.indexOf(step) + 1];
  const mine = and(eq(erasures.userId, erasure.userId), eq(erasures.step, step));
  if (next) {
    await database.update(erasures).set({ step: next, updatedAt: Date.now() }).where(mine);
    return;
  }
  // Done: the row goes (with the login counters failed attempts kept adding meanwhile), and the
  // audit trail keeps only that an account was erased: written only by the run that deletes the
  // row (the batch is one transaction), so two runs finishing together leave one record.
  await database.batch([
    database.insert(auditLog).select(
      database
        .select({
          id: sql<string>`${crypto.randomUUID()}`.as("id"),
          actorId: sql<null>`NULL`.as("actor_id"),
          action: sql<string>`'account.erased'`.as("action"),
          targetId: erasures.anonymousId,
          details: sql<string>`'{}'`.as("details"),
          requestId: sql<null>`NULL`.as("request_id"),
          createdAt: sql<number>`${Date.now()}`.as("created_at"),
        })
        .from(erasures)
        .where(mine),
    ),
    database.delete(rateLimits).where(limitsOf(erasure.userId, erasure.emailHash)),
    database.delete(erasures).where(mine),
  ]);
}

/**
 * Runs the user's erasure from its recorded step to the end, or until `deadline` (the rest is
 * the cron's). A failing step is recorded on the row and thrown; the next run starts there.
 */
export async function runErasure(env: Env, config: Config, userId: string, options: { deadline?: number; hooks?: ErasureHooks } = {}): Promise<ErasureStatus> {
  const database = db(env.DB);
  const deadline = options.deadline ?? Number.POSITIVE_INFINITY;
  for (;;) {
    const erasure = await database.select().from(erasures).where(eq(erasures.userId, userId)).get();
    if (!erasure) return "erased";
    if (Date.now() > deadline) return "erasing";
    const step = erasure.step;
    try {
      if (!(await STEPS[step](env, config, erasure, deadline))) return "erasing";
      await options.hooks?.afterStep?.(step);
    } catch (e) {
      await database
        .update(erasures)
        .set({ attempts: erasure.attempts + 1, lastError: `${step}: ${errorMessage(e)}`, updatedAt: Date.now() })
        .where(eq(erasures.userId, userId));
      throw e;
    }
    await advance(env, erasure, step);
  }
}

/** The cron's part: finishes erasures that a request left half done, oldest first; one failing never stops the others. */
export async function resumeErasures(env: Env, config: Config, { limit = 20, budgetMs = 20_000 } = {}): Promise<{ erased: number; pending: number; failed: number }> {
  const deadline = Date.now() + budgetMs;
  const pending = await db(env.DB).select({ userId: erasures.userId }).from(erasures).orderBy(erasures.updatedAt).limit(limit);
  const report = { erased: 0, pending: 0, failed: 0 };
  for (const { userId } of pending) {
    try {
      const status = await runErasure(env, config, userId, { deadline });
      report[status === "erased" ? "erased" : "pending"] += 1;
    } catch (e) {
      report.failed += 1;
      log("error", "account.erase_failed", { userId, error: errorMessage(e) });
    }
  }
  return report;
}
