/**
 * End-to-end model test of the money: random sequences of submits (fresh keys, the same
 * key with the same body, the same key with another body, concurrent duplicates),
 * cancels, project deletions, queue deliveries (duplicated, redelivered, dead-lettered),
 * recovery runs, hold-expiry alarms and object evictions, driven through the real Worker
 * (its fetch, queue and recovery entry points). Queue messages are captured, so the
 * order of every delivery is chosen by the test, never by timing.
 *
 * After each sequence the system is quiesced (every message delivered, recovery run until
 * nothing is left) and the bank is checked: every generation terminal and settled, no
 * open hold, for every user `balance = signup + grants − Σ completed items × cost`, every
 * generation's `charged` is its completed items × cost, and reconciliation finds no drift.
 *
 * MODEL_RUNS (default 60) sets the number of sequences; a failure prints `seed` and `path`,
 * and MODEL_SEED with MODEL_PATH replays exactly that sequence.
 */
import { env, evictDurableObject, runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { eq, inArray } from "drizzle-orm";
import fc from "fast-check";
import { expect, it } from "vitest";
import { accountOf } from "../../worker/account/client";
import { reconcile } from "../../worker/account/reconcile";
import { TEST_PIPELINE_COST as COST } from "../support/test-pipeline";
import { db } from "../../worker/db/client";
import { generations } from "../../worker/db/schema";
import type { ItemMessage } from "../../worker/generations/messages";
import { GENERATION_DLQ, GENERATION_QUEUE } from "../../worker/generations/messages";
import { recover } from "../../worker/generations/recovery";
import { api, register, testConfig, type Client } from "../support/client";
import { createProject, deliver, fetchWith, recordingQueue } from "../support/generations";

const SIGNUP = 100;
const MAX_RETRIES = 4; // wrangler.toml: the generation queue's max_retries
const RUNS = Number(env.MODEL_RUNS || 60);
const SEED = env.MODEL_SEED ? Number(env.MODEL_SEED) : undefined;
const PATH = env.MODEL_PATH || undefined;
const MIN_STEPS = 2_000;

type Behaviour = "ok" | "fail" | "flaky:1" | "retry-forever";

type Step =
  | { op: "submit"; user: number; project: number; key: "fresh" | "same" | "other"; items: Behaviour[]; duplicates: number }
  | { op: "cancel"; pick: number }
  | { op: "deleteProject"; user: number; project: number }
  | { op: "deliver"; count: number; duplicate: boolean }
  | { op: "deadLetter"; pick: number }
  | { op: "recover"; laterMs: number }
  | { op: "expireHolds"; user: number }
  | { op: "evict"; user: number }
  | { op: "grant"; user: number; amount: number };

const behaviour = fc.constantFrom<Behaviour>("ok", "ok", "ok", "fail", "flaky:1", "retry-forever");
const step: fc.Arbitrary<Step> = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.record({
      op: fc.constant("submit" as const),
      user: fc.nat(1),
      project: fc.nat(1),
      key: fc.constantFrom("fresh" as const, "fresh" as const, "same" as const, "other" as const),
      items: fc.array(behaviour, { minLength: 1, maxLength: 3 }),
      duplicates: fc.constantFrom(1, 1, 1, 3),
    }),
  },
  { weight: 2, arbitrary: fc.record({ op: fc.constant("cancel" as const), pick: fc.nat(50) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant("deleteProject" as const), user: fc.nat(1), project: fc.nat(1) }) },
  { weight: 7, arbitrary: fc.record({ op: fc.constant("deliver" as const), count: fc.integer({ min: 1, max: 4 }), duplicate: fc.boolean() }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant("deadLetter" as const), pick: fc.nat(50) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant("recover" as const), laterMs: fc.constantFrom(0, 3 * 60_000, 10 * 60_000) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant("expireHolds" as const), user: fc.nat(1) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant("evict" as const), user: fc.nat(1) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant("grant" as const), user: fc.nat(1), amount: fc.integer({ min: 1, max: 60 }) }) },
);

interface Submitted {
  key: string;
  body: Record<string, unknown>;
  generationId: string | null;
}

interface Pending {
  message: ItemMessage;
  attempts: number;
}

/** One sequence's world: two users with two projects each, and the messages in flight. */
class World {
  readonly pending: Pending[] = [];
  readonly generationsOf = new Map<number, Set<string>>();
  /** Completed items of generations deleted with their project (settled before they could go). */
  readonly deletedCompleted = new Map<number, number>();
  readonly grants = new Map<number, number>();
  readonly submitted = new Map<number, Submitted[]>();
  private stamp = 0;

  constructor(
    readonly users: Client[],
    readonly projects: string[][],
  ) {}

  record(messages: ItemMessage[]) {
    for (const message of messages) this.pending.push({ message, attempts: 1 });
  }

  nextKey() {
    return `model-${crypto.randomUUID()}-${this.stamp++}`;
  }
}

const isFinal = (s: string) => ["completed", "partial", "failed", "cancelled"].includes(s);

async function submitThrough(world: World, user: number, body: Record<string, unknown>, key: string): Promise<Response> {
  const { queue, sent } = recordingQueue();
  const res = await fetchWith({ GENERATION_QUEUE: queue }, "/api/apps/test-pipeline/generations", {
    method: "POST",
    token: world.users[user]!.token,
    json: body,
    headers: { "Idempotency-Key": key },
  });
  world.record(sent);
  return res;
}

async function run(world: World, s: Step): Promise<void> {
  switch (s.op) {
    case "submit": {
      const previous = world.submitted.get(s.user) ?? [];
      const projectId = world.projects[s.user]![s.project]!;
      const body = { projectId, prompt: `p${s.items.join(",")}`, items: s.items };
      const reused = s.key === "fresh" ? undefined : previous.at(-1);
      const key = reused?.key ?? world.nextKey();
      const sentBody = s.key === "other" && reused ? { ...body, prompt: `${body.prompt} (other)` } : s.key === "same" && reused ? reused.body : body;
      const responses = await Promise.all(Array.from({ length: s.duplicates }, () => submitThrough(world, s.user, sentBody, key)));
      const ids = new Set<string>();
      for (const res of responses) {
        expect([202, 400, 402, 404, 409, 429]).toContain(res.status);
        if (res.status === 202) ids.add((await res.json<{ generation: { id: string } }>()).generation.id);
      }
      // However many were sent at once with one key, at most one generation exists for it.
      expect(ids.size).toBeLessThanOrEqual(1);
      const id = [...ids][0] ?? null;
      // A key whose request made a generation names that request forever; one refused with
      // 402/429 reserved nothing, so the key is still unused.
      if (reused?.generationId) {
        if (s.key === "other") expect(responses.map((r) => r.status).filter((c) => c !== 409 && c !== 404)).toEqual([]);
        if (id) expect(id).toBe(reused.generationId);
      }
      if (id) world.generationsOf.set(s.user, (world.generationsOf.get(s.user) ?? new Set()).add(id));
      if (!reused) world.submitted.set(s.user, [...previous, { key, body: sentBody, generationId: id }]);
      else if (!reused.generationId && id) Object.assign(reused, { body: sentBody, generationId: id });
      return;
    }
    case "cancel": {
      const all = [...world.generationsOf.entries()].flatMap(([user, ids]) => [...ids].map((id) => ({ user, id })));
      const target = all[s.pick % Math.max(1, all.length)];
      if (!target) return;
      const res = await api(`/api/generations/${target.id}/cancel`, { method: "POST", token: world.users[target.user]!.token });
      expect([200, 404]).toContain(res.status);
      return;
    }
    case "deleteProject": {
      const projectId = world.projects[s.user]![s.project]!;
      const doomed = await db(env.DB).select().from(generations).where(eq(generations.projectId, projectId));
      const res = await api(`/api/projects/${projectId}`, { method: "DELETE", token: world.users[s.user]!.token });
      expect([204, 409]).toContain(res.status);
      if (res.status === 204) {
        for (const g of doomed) {
          expect(g.charged).not.toBeNull();
          world.deletedCompleted.set(s.user, (world.deletedCompleted.get(s.user) ?? 0) + g.completed);
          world.generationsOf.get(s.user)?.delete(g.id);
        }
        world.projects[s.user]![s.project] = await createProject(world.users[s.user]!);
      }
      return;
    }
    case "deliver": {
      const batch = world.pending.splice(0, s.count);
      if (batch.length === 0) return;
      await deliverBatch(world, batch, s.duplicate);
      return;
    }
    case "deadLetter": {
      if (world.pending.length === 0) return;
      const [gone] = world.pending.splice(s.pick % world.pending.length, 1);
      await deliver(GENERATION_DLQ, [gone!.message], MAX_RETRIES + 1);
      return;
    }
    case "recover":
      await recoverThrough(world, Date.now() + s.laterMs);
      return;
    case "expireHolds": {
      const account = accountOf(env, world.users[s.user]!.userId);
      await runInDurableObject(account, (_i, state) => {
        state.storage.sql.exec("UPDATE holds SET expires_at = ? WHERE status = 'open'", Date.now() - 1);
      });
      await runDurableObjectAlarm(account);
      return;
    }
    case "evict":
      await evictDurableObject(accountOf(env, world.users[s.user]!.userId)).catch(() => undefined);
      return;
    case "grant": {
      const account = accountOf(env, world.users[s.user]!.userId);
      const r = await account.credit({ idempotencyKey: world.nextKey(), amount: s.amount, kind: "grant", reference: null, description: "Model grant" });
      expect(r.ok).toBe(true);
      world.grants.set(s.user, (world.grants.get(s.user) ?? 0) + s.amount);
      return;
    }
  }
}

/** Delivers as the platform would: acked messages leave, retried ones come back with one more attempt, or go to the DLQ. */
async function deliverBatch(world: World, batch: Pending[], duplicate: boolean) {
  const attempts = Math.max(...batch.map((p) => p.attempts));
  const messages = batch.map((p) => p.message);
  const result = await deliver(GENERATION_QUEUE, duplicate ? [...messages, messages[0]!] : messages, attempts);
  const retried = new Set(result.retryMessages.map((r) => r.msgId));
  const ids = duplicate ? [...batch, batch[0]!] : batch;
  // deliver() names messages m-<index>-…: map the retries back to what was sent.
  const byIndex = new Map(ids.map((p, i) => [i, p]));
  const again = new Set<Pending>();
  for (const msgId of retried) {
    const index = Number(/^m-(\d+)-/.exec(msgId)?.[1]);
    const p = byIndex.get(index);
    if (p) again.add(p);
  }
  for (const p of again) {
    if (attempts + 1 > MAX_RETRIES + 1) await deliver(GENERATION_DLQ, [p.message], attempts + 1);
    else world.pending.push({ message: p.message, attempts: attempts + 1 });
  }
}

async function recoverThrough(world: World, now: number) {
  const { queue, sent } = recordingQueue();
  const report = await recover({ ...env, GENERATION_QUEUE: queue }, testConfig(), now);
  expect(report.errors).toBe(0);
  world.record(sent);
}

/** Delivers everything, then lets recovery finish whatever is left, until nothing moves. */
async function quiesce(world: World) {
  for (let round = 0; round < 30; round++) {
    while (world.pending.length > 0) await deliverBatch(world, world.pending.splice(0, 10), false);
    const ids = [...world.generationsOf.values()].flatMap((s) => [...s]);
    const open =
      ids.length === 0 ? [] : await db(env.DB).select({ id: generations.id, status: generations.status, charged: generations.charged }).from(generations).where(inArray(generations.id, ids));
    if (open.every((g) => isFinal(g.status) && g.charged !== null)) return;
    await recoverThrough(world, Date.now() + 3600_000);
  }
  throw new Error("the pipeline did not quiesce");
}

async function checkBank(world: World) {
  for (let u = 0; u < world.users.length; u++) {
    const user = world.users[u]!;
    const ids = [...(world.generationsOf.get(u) ?? [])];
    const rows = ids.length === 0 ? [] : await db(env.DB).select().from(generations).where(inArray(generations.id, ids));
    let completed = world.deletedCompleted.get(u) ?? 0;
    for (const g of rows) {
      expect(isFinal(g.status), `generation ${g.id} is ${g.status}`).toBe(true);
      expect(g.charged, `generation ${g.id}`).toBe(g.completed * COST);
      expect(g.refunded, `generation ${g.id}`).toBe(g.cost - g.completed * COST);
      expect(g.error ?? "").not.toMatch(/mismatch/i);
      completed += g.completed;
    }
    const account = accountOf(env, user.userId);
    expect(await account.openHolds()).toEqual([]);
    const audit = await account.audit();
    expect(audit.balance).toBe(SIGNUP + (world.grants.get(u) ?? 0) - completed * COST);
    expect(audit.entrySum).toBe(audit.balance);
    // Let the projection catch up, then the bank check across the boundary must agree.
    for (let i = 0; i < 3 && (await account.audit()).projectionPending; i++) {
      if (!(await runDurableObjectAlarm(account))) await runInDurableObject(account, (instance) => (instance as { alarm(): Promise<void> }).alarm());
    }
  }
  const report = await reconcile(env);
  const mine = new Set(world.users.map((u) => u.userId));
  expect(report.drift.filter((d) => mine.has(d.userId))).toEqual([]);
}

it(`keeps the bank exact through ${RUNS} random sequences of submits, replays, cancels, deletions, deliveries, recovery, alarms and evictions`, async () => {
  let steps = 0;
  await fc.assert(
    fc.asyncProperty(fc.array(step, { minLength: 30, maxLength: 50 }), async (steps_) => {
      const users = [await register(), await register()];
      const projects = await Promise.all(users.map(async (u) => [await createProject(u), await createProject(u)]));
      const world = new World(users, projects);
      for (const s of steps_) {
        await run(world, s);
        steps++;
      }
      await quiesce(world);
      await checkBank(world);
      for (const u of users) await runInDurableObject(accountOf(env, u.userId), (_i, state) => state.storage.deleteAlarm());
    }),
    { numRuns: RUNS, ...(SEED === undefined ? {} : { seed: SEED }), ...(PATH === undefined ? {} : { path: PATH }), endOnFailure: true },
  );
  console.log(`money model: ${steps} steps in ${RUNS} sequences`);
  if (SEED === undefined) expect(steps).toBeGreaterThanOrEqual(Math.min(MIN_STEPS, RUNS * 20));
}, 600_000);
