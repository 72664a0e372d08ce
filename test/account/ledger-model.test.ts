/**
 * Model-based property test of the ledger: random sequences of credit, reserve, settle,
 * release, replays, conflicting replays, evictions and alarms against a real Account
 * object, with every money invariant checked after every step.
 *
 * A failure prints fast-check's `seed` and `path`: paste them into REPLAY to rerun exactly
 * that (shrunk) sequence.
 */
import { evictDurableObject, runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import fc from "fast-check";
import { expect, it } from "vitest";
import type { Account } from "../../worker/account/account";
import { jakartaDay } from "../../worker/account/ledger";
import type { CreditInput, CreditResult, HoldStatus, ReserveInput, ReserveResult } from "../../worker/account/types";
import type { AccountStub, EntryRow, HoldRow, Snapshot } from "../support/account";
import { bankViolations, cancelAlarms, freshAccount, readSnapshot, snapshot } from "../support/account";

const REPLAY = null as { seed: number; path: string } | null;
const RUNS = 100;
/** Fixed-length runs keep the total predictable: 100 × 110 generated, a few skipped when no hold exists yet. */
const COMMANDS_PER_RUN = 110;
const MIN_OPERATIONS = 10_000;

const REFERENCES = ["g0", "g1", "g2", "g3"] as const;
/** Quota is counted per UTC day, as in the ledger; only a day change inside one reserve call could disagree. */
/** The quota's day, as the ledger counts it: Jakarta's (UTC+7). */
const jakartaToday = () => jakartaDay(Date.now());

interface ModelHold {
  id: string;
  input: ReserveInput;
  first: ReserveResult;
  items: number;
  unitCost: number;
  amount: number;
  free: number;
  quotaDay: string | null;
  reference: string;
  status: HoldStatus;
  completed: number | null;
  captured: number;
  released: number;
}

interface Model {
  balance: number;
  entries: number;
  holds: ModelHold[];
  credits: { input: CreditInput; first: CreditResult }[];
  captured: Map<string, number>;
  refunded: Map<string, number>;
  quotaLimit: number | null;
  quotaUsed: Map<string, number>;
  next: number;
}

interface Real {
  stub: AccountStub;
  /** What storage held after the previous step. */
  last: Snapshot;
  /** Storage right after this step, when it was read in the step's own round trip. */
  next: Snapshot | null;
  step: number;
  /** Steps run so far, named in any failure. */
  trace: string[];
}

type Api = Pick<Account, "credit" | "reserve" | "settle" | "release" | "setDailyQuota">;

/**
 * Runs one mutation. Every fourth step goes through real RPC; the others call the object's
 * own public method in-object and read storage in the same round trip, which halves the
 * cost of a checked step.
 */
async function call<R>(r: Real, op: (api: Api) => Promise<R>): Promise<R> {
  if (r.step++ % 4 === 0) return op(r.stub as unknown as Api);
  const { result, after } = await runInDurableObject(r.stub, async (instance: Account, state) => ({ result: await op(instance), after: readSnapshot(state.storage.sql) }));
  r.next = after;
  return result;
}

let operations = 0;

const held = (m: Model) => m.holds.filter((h) => h.status === "open").reduce((s, h) => s + h.amount, 0);
const add = (map: Map<string, number>, key: string, delta: number) => map.set(key, Math.max(0, (map.get(key) ?? 0) + delta));

const sameEntry = (a: EntryRow, b: EntryRow) => a.seq === b.seq && a.id === b.id && a.kind === b.kind && a.amount === b.amount && a.balance_after === b.balance_after && a.reference === b.reference;
const sameHold = (a: HoldRow, b: HoldRow) =>
  a.id === b.id &&
  a.status === b.status &&
  a.amount === b.amount &&
  a.items === b.items &&
  a.free_items === b.free_items &&
  a.completed_items === b.completed_items &&
  a.captured === b.captured &&
  a.released === b.released &&
  a.expires_at === b.expires_at;

/** True when nothing at all was written between two snapshots. */
function unchangedSince(before: Snapshot, s: Snapshot): boolean {
  if (s.version !== before.version || s.balance !== before.balance || s.idempotencyKeys !== before.idempotencyKeys) return false;
  if (s.entries.length !== before.entries.length || s.holds.length !== before.holds.length) return false;
  if (!s.holds.every((h, i) => sameHold(h, before.holds[i]!))) return false;
  const days = Object.keys(s.quotaUsed);
  return days.length === Object.keys(before.quotaUsed).length && days.every((d) => s.quotaUsed[d] === before.quotaUsed[d]);
}

/**
 * Every invariant, after every step. `unchanged`: the step must not have written anything.
 * Plain comparisons collected into one assertion keep ~10,000 checked steps fast.
 */
async function verify(m: Model, r: Real, unchanged = false): Promise<void> {
  operations++;
  const s = r.next ?? (await snapshot(r.stub));
  r.next = null;
  const before = r.last;
  const problems = bankViolations(s);
  // Entries are append-only: what was there is still there, unaltered.
  if (s.entries.length < before.entries.length || !before.entries.every((e, i) => sameEntry(e, s.entries[i]!))) {
    problems.push("entries are not append-only: an old entry changed or vanished");
  }
  // A hold resolves at most once: once out of "open", nothing about it changes.
  const rows = new Map(s.holds.map((h) => [h.id, h]));
  for (const old of before.holds) {
    const now = rows.get(old.id);
    if (!now) problems.push(`hold ${old.id} vanished`);
    else if (old.status !== "open" && !sameHold(old, now)) problems.push(`hold ${old.id} changed after it resolved`);
  }
  if (unchanged && !unchangedSince(before, s)) problems.push("a replay, conflict, refusal or no-op wrote something");

  if (s.balance !== m.balance) problems.push(`balance ${s.balance} ≠ model ${m.balance}`);
  if (s.held !== held(m)) problems.push(`held ${s.held} ≠ model ${held(m)}`);
  if (s.entries.length !== m.entries) problems.push(`${s.entries.length} entries ≠ model ${m.entries}`);
  if (s.holds.length !== m.holds.length) problems.push(`${s.holds.length} holds ≠ model ${m.holds.length}`);
  for (const h of m.holds) {
    const row = rows.get(h.id);
    if (!row || row.status !== h.status || row.amount !== h.amount || row.free_items !== h.free || row.captured !== h.captured || row.released !== h.released || row.completed_items !== h.completed) {
      problems.push(`hold ${h.id}: ${JSON.stringify(row)} ≠ model ${JSON.stringify({ ...h, input: undefined, first: undefined })}`);
    }
  }
  for (const day of new Set([...Object.keys(s.quotaUsed), ...m.quotaUsed.keys()])) {
    if ((s.quotaUsed[day] ?? 0) !== (m.quotaUsed.get(day) ?? 0)) problems.push(`quota used on ${day}: ${s.quotaUsed[day] ?? 0} ≠ model ${m.quotaUsed.get(day) ?? 0}`);
  }
  if (problems.length > 0) expect(problems, `ledger invariants after step ${r.trace.length}: …${r.trace.slice(-8).join(", ")}`).toEqual([]);
  r.last = s;
}

/** Applies a first-time resolution to the model, mirroring the ledger's rules. */
function resolveInModel(m: Model, h: ModelHold, status: "settled" | "released", completedItems: number): void {
  const completed = status === "settled" ? Math.min(completedItems, h.items) : 0;
  const freeUsed = Math.min(completed, h.free);
  const captured = (completed - freeUsed) * h.unitCost;
  h.status = status;
  h.completed = status === "settled" ? completed : null;
  h.captured = captured;
  h.released = h.amount - captured;
  m.balance -= captured;
  m.entries += (captured > 0 ? 1 : 0) + (h.released > 0 ? 1 : 0) + (freeUsed > 0 ? 1 : 0);
  add(m.captured, h.reference, captured);
  if (h.quotaDay) add(m.quotaUsed, h.quotaDay, -(h.free - freeUsed));
}

/** fast-check's command shape, run by the hand-rolled loop below so failures can name their steps. */
type Command = fc.AsyncCommand<Model, Real>;

class Credit implements Command {
  constructor(
    readonly amount: number,
    readonly kind: "grant" | "purchase",
  ) {}
  check = () => true;
  async run(m: Model, r: Real) {
    const input: CreditInput = { idempotencyKey: `c${m.next++}`, amount: this.amount, kind: this.kind, reference: null, description: "Top-up" };
    const result = await call(r, (a) => a.credit(input));
    expect(result).toMatchObject({ ok: true, replayed: false, entry: { amount: this.amount, balanceAfter: m.balance + this.amount } });
    m.balance += this.amount;
    m.entries++;
    m.credits.push({ input, first: result });
    await verify(m, r);
  }
  toString = () => `credit(${this.kind} ${this.amount})`;
}

class Adjust implements Command {
  constructor(readonly amount: number) {}
  check = () => true;
  async run(m: Model, r: Real) {
    const input: CreditInput = { idempotencyKey: `c${m.next++}`, amount: this.amount, kind: "adjustment", reference: null, description: "Correction" };
    const result = await call(r, (a) => a.credit(input));
    if (m.balance + this.amount < held(m)) {
      expect(result).toEqual({ ok: false, reason: "below_held", balance: m.balance, held: held(m) });
      return verify(m, r, true);
    }
    expect(result).toMatchObject({ ok: true, replayed: false });
    m.balance += this.amount;
    m.entries++;
    m.credits.push({ input, first: result });
    await verify(m, r);
  }
  toString = () => `adjust(${this.amount})`;
}

class Refund implements Command {
  constructor(
    readonly ref: number,
    readonly amount: number,
  ) {}
  check = () => true;
  async run(m: Model, r: Real) {
    const id = REFERENCES[this.ref % REFERENCES.length]!;
    const key = `generation:${id}`;
    const input: CreditInput = { idempotencyKey: `c${m.next++}`, amount: this.amount, kind: "refund", reference: { type: "generation", id }, description: "Refund" };
    const refundable = (m.captured.get(key) ?? 0) - (m.refunded.get(key) ?? 0);
    const result = await call(r, (a) => a.credit(input));
    if (this.amount > refundable) {
      expect(result).toEqual({ ok: false, reason: "refund_exceeds_charge", refundable });
      return verify(m, r, true);
    }
    expect(result).toMatchObject({ ok: true, replayed: false });
    m.balance += this.amount;
    m.entries++;
    add(m.refunded, key, this.amount);
    m.credits.push({ input, first: result });
    await verify(m, r);
  }
  toString = () => `refund(${REFERENCES[this.ref % REFERENCES.length]} ${this.amount})`;
}

class Reserve implements Command {
  constructor(
    readonly items: number,
    readonly unitCost: number,
    readonly ref: number,
    readonly quotaEligible: boolean,
    readonly unlimited: boolean,
  ) {}
  check = () => true;
  async run(m: Model, r: Real) {
    const holdId = `h${m.next++}`;
    const id = REFERENCES[this.ref % REFERENCES.length]!;
    const input: ReserveInput = {
      holdId,
      idempotencyKey: `${holdId}:reserve`,
      items: this.items,
      unitCost: this.unitCost,
      reference: { type: "generation", id },
      ...(this.quotaEligible ? { quotaEligible: true } : {}),
      ...(this.unlimited ? { unlimited: true } : {}),
    };
    const day = jakartaToday();
    const remaining = m.quotaLimit === null ? 0 : Math.max(0, m.quotaLimit - (m.quotaUsed.get(day) ?? 0));
    const free = this.unlimited ? this.items : this.quotaEligible ? Math.min(this.items, remaining) : 0;
    const amount = (this.items - free) * this.unitCost;
    const available = m.balance - held(m);
    const result = await call(r, (a) => a.reserve(input));
    if (amount > available) {
      expect(result).toEqual({ ok: false, reason: "insufficient", required: amount, available });
      return verify(m, r, true);
    }
    expect(result).toMatchObject({ ok: true, replayed: false, hold: { id: holdId, amount, freeItems: free, status: "open", captured: 0, released: 0 } });
    const quotaDay = free > 0 && !this.unlimited ? day : null;
    if (quotaDay) add(m.quotaUsed, quotaDay, free);
    m.holds.push({
      id: holdId,
      input,
      first: result,
      items: this.items,
      unitCost: this.unitCost,
      amount,
      free,
      quotaDay,
      reference: `generation:${id}`,
      status: "open",
      completed: null,
      captured: 0,
      released: 0,
    });
    await verify(m, r);
  }
  toString = () => `reserve(${this.items}×${this.unitCost} ${REFERENCES[this.ref % REFERENCES.length]}${this.quotaEligible ? " quota" : ""}${this.unlimited ? " unlimited" : ""})`;
}

abstract class OnHold implements Command {
  constructor(readonly pick: number) {}
  check = (m: Readonly<Model>) => m.holds.length > 0;
  protected hold(m: Model): ModelHold {
    return m.holds[this.pick % m.holds.length]!;
  }
  abstract run(m: Model, r: Real): Promise<void>;
}

class Settle extends OnHold {
  constructor(
    pick: number,
    readonly completed: number,
  ) {
    super(pick);
  }
  override async run(m: Model, r: Real) {
    const h = this.hold(m);
    const result = await call(r, (a) => a.settle(h.id, this.completed));
    if (h.status === "open") {
      resolveInModel(m, h, "settled", this.completed);
      expect(result).toMatchObject({ ok: true, replayed: false, hold: { status: "settled", captured: h.captured, released: h.released } });
      return verify(m, r);
    }
    const settledFor = h.status === "settled" ? h.completed : 0;
    if (settledFor !== Math.min(this.completed, h.items)) {
      expect(result).toMatchObject({ ok: false, reason: "mismatch" });
    } else {
      expect(result).toMatchObject({ ok: true, replayed: true, hold: { status: h.status, captured: h.captured, released: h.released } });
    }
    await verify(m, r, true);
  }
  override toString = () => `settle(#${this.pick}, ${this.completed})`;
}

class Release extends OnHold {
  override async run(m: Model, r: Real) {
    const h = this.hold(m);
    const wasOpen = h.status === "open";
    const result = await call(r, (a) => a.release(h.id));
    if (wasOpen) resolveInModel(m, h, "released", 0);
    expect(result).toMatchObject({ ok: true, replayed: !wasOpen, hold: { status: h.status, captured: h.captured, released: h.released } });
    await verify(m, r, !wasOpen);
  }
  override toString = () => `release(#${this.pick})`;
}

/** The hold's timer runs out; the alarm is then delivered twice. */
class Expire extends OnHold {
  override async run(m: Model, r: Real) {
    const h = this.hold(m);
    const wasOpen = h.status === "open";
    if (wasOpen) {
      r.last = await runInDurableObject(r.stub, (_i, state) => {
        state.storage.sql.exec("UPDATE holds SET expires_at = ? WHERE id = ?", Date.now() - 1, h.id);
        return readSnapshot(state.storage.sql);
      });
    }
    await fireAlarm(r.stub);
    await fireAlarm(r.stub);
    if (wasOpen) resolveInModel(m, h, "released", 0);
    await verify(m, r, !wasOpen);
  }
  override toString = () => `expire(#${this.pick})`;
}

class ReplayReserve extends OnHold {
  override async run(m: Model, r: Real) {
    const h = this.hold(m);
    expect(await call(r, (a) => a.reserve(h.input))).toEqual({ ...h.first, replayed: true });
    await verify(m, r, true);
  }
  override toString = () => `replayReserve(#${this.pick})`;
}

class ConflictingReserve extends OnHold {
  constructor(
    pick: number,
    readonly variant: number,
  ) {
    super(pick);
  }
  override async run(m: Model, r: Real) {
    const h = this.hold(m);
    const variants: Partial<ReserveInput>[] = [
      { items: h.input.items + 1 },
      { unitCost: h.input.unitCost + 1 },
      { idempotencyKey: `${h.id}:another-key` },
      { reference: { type: "generation", id: "elsewhere" } },
    ];
    const result = await call(r, (a) => a.reserve({ ...h.input, ...variants[this.variant % variants.length] }));
    expect(result).toMatchObject({ ok: false, reason: "conflict" });
    await verify(m, r, true);
  }
  override toString = () => `conflictingReserve(#${this.pick}, v${this.variant})`;
}

abstract class OnCredit implements Command {
  constructor(readonly pick: number) {}
  check = (m: Readonly<Model>) => m.credits.length > 0;
  protected credit(m: Model) {
    return m.credits[this.pick % m.credits.length]!;
  }
  abstract run(m: Model, r: Real): Promise<void>;
}

class ReplayCredit extends OnCredit {
  override async run(m: Model, r: Real) {
    const c = this.credit(m);
    expect(await call(r, (a) => a.credit(c.input))).toEqual({ ...c.first, replayed: true });
    await verify(m, r, true);
  }
  override toString = () => `replayCredit(#${this.pick})`;
}

class ConflictingCredit extends OnCredit {
  override async run(m: Model, r: Real) {
    const { input } = this.credit(m);
    const other = { ...input, amount: input.amount + Math.sign(input.amount) };
    expect(await call(r, (a) => a.credit(other))).toMatchObject({ ok: false, reason: "conflict" });
    await verify(m, r, true);
  }
  override toString = () => `conflictingCredit(#${this.pick})`;
}

class SetQuota implements Command {
  constructor(readonly limit: number) {}
  check = () => true;
  async run(m: Model, r: Real) {
    const result = await call(r, (a) => a.setDailyQuota({ idempotencyKey: `q${m.next++}`, limit: this.limit, expiresAt: new Date(Date.now() + 86_400_000).toISOString() }));
    expect(result).toEqual({ ok: true });
    m.quotaLimit = this.limit;
    await verify(m, r);
  }
  toString = () => `setQuota(${this.limit})`;
}

class Evict implements Command {
  check = () => true;
  async run(m: Model, r: Real) {
    const failure = await evictDurableObject(r.stub).then(
      () => null,
      (e: unknown) => e,
    );
    if (failure && !/not currently running/.test(String(failure))) throw failure;
    await verify(m, r, true);
  }
  toString = () => "evict";
}

class Alarm implements Command {
  check = () => true;
  async run(m: Model, r: Real) {
    await fireAlarm(r.stub);
    await verify(m, r, true);
  }
  toString = () => "alarm";
}

/** Delivers the alarm now, whether or not one happens to be scheduled. */
async function fireAlarm(stub: AccountStub): Promise<void> {
  if (!(await runDurableObjectAlarm(stub))) await runInDurableObject(stub, (instance: Account) => instance.alarm());
}

const pick = fc.nat({ max: 1_000 });
/** Weighted so most steps move money; evict, alarm and expire are rarer because each costs several round trips. */
const command: fc.Arbitrary<Command> = fc.oneof(
  { weight: 2, arbitrary: fc.tuple(fc.integer({ min: 1, max: 200 }), fc.constantFrom("grant" as const, "purchase" as const)).map(([a, k]) => new Credit(a, k)) },
  { weight: 1, arbitrary: fc.integer({ min: -150, max: -1 }).map((a) => new Adjust(a)) },
  { weight: 1, arbitrary: fc.tuple(fc.nat({ max: 3 }), fc.integer({ min: 1, max: 60 })).map(([ref, a]) => new Refund(ref, a)) },
  {
    weight: 5,
    arbitrary: fc
      .tuple(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 0, max: 60 }), fc.nat({ max: 3 }), fc.boolean(), fc.integer({ min: 0, max: 9 }))
      .map(([items, cost, ref, quota, u]) => new Reserve(items, cost, ref, quota, u === 0)),
  },
  { weight: 4, arbitrary: fc.tuple(pick, fc.nat({ max: 4 })).map(([p, c]) => new Settle(p, c)) },
  { weight: 1, arbitrary: pick.map((p) => new Release(p)) },
  { weight: 1, arbitrary: pick.map((p) => new Expire(p)) },
  { weight: 1, arbitrary: pick.map((p) => new ReplayReserve(p)) },
  { weight: 1, arbitrary: fc.tuple(pick, fc.nat({ max: 3 })).map(([p, v]) => new ConflictingReserve(p, v)) },
  { weight: 1, arbitrary: pick.map((p) => new ReplayCredit(p)) },
  { weight: 1, arbitrary: pick.map((p) => new ConflictingCredit(p)) },
  { weight: 1, arbitrary: fc.nat({ max: 6 }).map((l) => new SetQuota(l)) },
  { weight: 1, arbitrary: fc.constant(new Evict()) },
  { weight: 1, arbitrary: fc.constant(new Alarm()) },
);

it(`keeps every money invariant over ≥ ${MIN_OPERATIONS} random ledger operations`, { timeout: 300_000 }, async () => {
  const seed = REPLAY?.seed ?? (Math.random() * 0x7fffffff) | 0;
  console.log(`ledger model: seed=${seed}`);
  operations = 0;
  await fc.assert(
    fc.asyncProperty(fc.array(command, { minLength: COMMANDS_PER_RUN, maxLength: COMMANDS_PER_RUN }), async (cmds) => {
      const stub = freshAccount();
      const model: Model = {
        balance: 300,
        entries: 1,
        holds: [],
        credits: [],
        captured: new Map(),
        refunded: new Map(),
        quotaLimit: null,
        quotaUsed: new Map(),
        next: 0,
      };
      const input: CreditInput = { idempotencyKey: "opening", amount: 300, kind: "grant", reference: null, description: "Opening credits" };
      model.credits.push({ input, first: await stub.credit(input) });
      const real: Real = { stub, last: await snapshot(stub), next: null, step: 0, trace: [] };
      try {
        for (const command of cmds) {
          if (!command.check(model)) continue;
          real.trace.push(String(command));
          await command.run(model, real);
        }
      } finally {
        await cancelAlarms();
      }
    }),
    { numRuns: REPLAY ? 1 : RUNS, seed, ...(REPLAY ? { path: REPLAY.path } : {}) },
  );
  if (!REPLAY) expect(operations, "operations checked across all runs").toBeGreaterThanOrEqual(MIN_OPERATIONS);
});
