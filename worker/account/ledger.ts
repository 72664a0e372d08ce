/**
 * The credit ledger of one user, over the Account object's SQLite storage.
 * Every method is synchronous on purpose: the Account object calls each one inside a
 * single `transactionSync`, so a check and its writes can never be interleaved and a
 * throw leaves nothing behind.
 */
import { type ChainedEntry, entryHash, GENESIS } from "../core/chain";
import { IdempotencyKeys } from "./idempotency";
import { type EntryRow, type HoldRow, type PlanRow, toChainedEntry, toEntry, toHold, toPlan } from "./rows";
import type {
  ActivePlan,
  Balance,
  Conflict,
  CreditInput,
  CreditResult,
  Entry,
  EntryKind,
  Hold,
  LedgerAudit,
  PlanInput,
  PlanResult,
  QuotaInput,
  Reference,
  ReserveInput,
  ReserveResult,
  SettleResult,
  Tier,
} from "./types";

export interface RateLimit {
  itemsPerHour: number;
}

export const DEFAULT_HOLD_TTL_SECONDS = 6 * 3600;

const refString = (r: Reference | null) => (r ? `${r.type}:${r.id}` : null);
/** Quota days are Indonesian days: Asia/Jakarta is UTC+7 all year (no daylight saving). */
const JAKARTA_OFFSET_MS = 7 * 3600_000;
export const jakartaDay = (ms: number) => new Date(ms + JAKARTA_OFFSET_MS).toISOString().slice(0, 10);

const TIER_RANK: Record<Tier, number> = { free: 0, pro: 1, enterprise: 2 };

export class Ledger {
  private readonly keys: IdempotencyKeys;

  constructor(
    private readonly sql: SqlStorage,
    private readonly now: () => number = Date.now,
  ) {
    this.keys = new IdempotencyKeys(sql, now);
  }

  // ---- reads -------------------------------------------------------------

  userId(): string | null {
    return this.sql.exec<{ user_id: string | null }>("SELECT user_id FROM account").one().user_id;
  }

  version(): number {
    return this.sql.exec<{ version: number }>("SELECT version FROM account").one().version;
  }

  balance(): Balance {
    const a = this.sql.exec<{ balance: number; quota_limit: number | null; quota_expires_at: number | null }>("SELECT balance, quota_limit, quota_expires_at FROM account").one();
    const held = this.held();
    const now = this.now();
    const quotaActive = a.quota_limit !== null && a.quota_expires_at !== null && a.quota_expires_at > now;
    return {
      balance: a.balance,
      held,
      available: a.balance - held,
      plan: this.activePlan(),
      dailyQuota: quotaActive ? { limit: a.quota_limit!, used: this.quotaUsed(jakartaDay(now)), expiresAt: new Date(a.quota_expires_at!).toISOString() } : null,
    };
  }

  /** The plan paid for and still running, or null (the user is on free). */
  activePlan(): ActivePlan | null {
    const r = this.sql.exec<PlanRow>("SELECT * FROM plan WHERE ends_at > ?", this.now()).toArray()[0];
    return r ? toPlan(r) : null;
  }

  hold(id: string): Hold | null {
    const r = this.sql.exec<HoldRow>("SELECT * FROM holds WHERE id = ?", id).toArray()[0];
    return r ? toHold(r) : null;
  }

  openHolds(): Hold[] {
    return this.sql.exec<HoldRow>("SELECT * FROM holds WHERE status = 'open' ORDER BY created_at").toArray().map(toHold);
  }

  /** Newest first; `beforeSeq` is the cursor (the last seq of the previous page). */
  history(limit: number, beforeSeq: number | null): { entries: Entry[]; nextSeq: number | null } {
    const rows = this.sql.exec<EntryRow>("SELECT * FROM entries WHERE seq < ? ORDER BY seq DESC LIMIT ?", beforeSeq ?? Number.MAX_SAFE_INTEGER, limit + 1).toArray();
    const pageRows = rows.slice(0, limit);
    return { entries: pageRows.map(toEntry), nextSeq: rows.length > limit ? pageRows.at(-1)!.seq : null };
  }

  audit(): LedgerAudit {
    const { balance } = this.sql.exec<{ balance: number }>("SELECT balance FROM account").one();
    const { total } = this.sql.exec<{ total: number }>("SELECT COALESCE(SUM(amount), 0) AS total FROM entries").one();
    const { n } = this.sql.exec<{ n: number }>("SELECT COUNT(*) AS n FROM holds WHERE status = 'open'").one();
    return { balance, entrySum: total, held: this.held(), openHolds: n };
  }

  /** Every purchase entry (one per paid package order), for reconciliation. */
  purchases(): Array<{ reference: string | null; amount: number }> {
    return this.sql.exec<{ reference: string | null; amount: number }>("SELECT reference, amount FROM entries WHERE kind = 'purchase' ORDER BY seq").toArray();
  }

  nextHoldExpiry(): number | null {
    return this.sql.exec<{ t: number | null }>("SELECT MIN(expires_at) AS t FROM holds WHERE status = 'open'").one().t;
  }

  /** Only a bound account has a projection to write; an unbound one would re-arm its alarm forever. */
  isProjectionStale(): boolean {
    const a = this.sql.exec<{ user_id: string | null; version: number; projected_version: number }>("SELECT user_id, version, projected_version FROM account").one();
    return a.user_id !== null && a.version > a.projected_version;
  }

  markProjected(version: number): void {
    this.sql.exec("UPDATE account SET projected_version = MAX(projected_version, ?)", version);
  }

  // ---- mutations (each called inside one transactionSync) ------------------

  /** Records which user this object belongs to and grants the signup credits once. */
  open(userId: string, signupCredits: number): void {
    const current = this.userId();
    if (current !== null && current !== userId) throw new Error("account object already belongs to another user");
    if (current === null) this.sql.exec("UPDATE account SET user_id = ?", userId);
    if (signupCredits > 0) {
      this.credit({ idempotencyKey: "signup", amount: signupCredits, kind: "grant", reference: { type: "user", id: userId }, description: "Welcome credits" });
    }
  }

  reserve(input: ReserveInput, limit: RateLimit): ReserveResult {
    const now = this.now();
    const { expiresInSeconds, ...rest } = input;
    const params = { op: "reserve", ...rest, unlimited: input.unlimited ?? false, quotaEligible: input.quotaEligible ?? false };
    const replay = this.keys.replay<ReserveResult>(input.idempotencyKey, params);
    if (replay) return replay.result.ok ? { ...replay.result, replayed: true } : replay.result;
    if (this.hold(input.holdId)) return this.conflict(`hold ${input.holdId} already exists under another key`);

    const plan = this.activePlan();
    const tier: Tier = input.unlimited ? "enterprise" : (plan?.tier ?? "free");
    if (input.requiredTier && TIER_RANK[input.requiredTier] > TIER_RANK[tier]) return { ok: false, reason: "plan_required", tier, required: input.requiredTier };

    const bucket = this.refill(now, limit);
    if (bucket.tokens < input.items) {
      const perSecond = limit.itemsPerHour / 3600;
      return { ok: false, reason: "rate_limited", retryAfterSeconds: Math.ceil((input.items - bucket.tokens) / perSecond) };
    }

    const quotaDay = jakartaDay(now);
    let freeItems = 0;
    if (input.unlimited || plan?.unlimited) freeItems = input.items;
    else if (input.quotaEligible) freeItems = Math.min(input.items, this.quotaRemaining(now, quotaDay));
    const amount = (input.items - freeItems) * input.unitCost;
    const { available } = this.balance();
    if (amount > available) return { ok: false, reason: "insufficient", required: amount, available };

    const expiresAt = now + (expiresInSeconds ?? DEFAULT_HOLD_TTL_SECONDS) * 1000;
    const fromQuota = freeItems > 0 && !input.unlimited && !plan?.unlimited;
    this.sql.exec(
      `INSERT INTO holds (id, amount, items, unit_cost, free_items, quota_day, reference, status, expires_at, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, 'open', ?, ?)`,
      input.holdId,
      amount,
      input.items,
      input.unitCost,
      freeItems,
      fromQuota ? quotaDay : null,
      refString(input.reference),
      expiresAt,
      now,
    );
    if (fromQuota) this.addQuotaUse(quotaDay, freeItems);
    this.sql.exec("UPDATE account SET bucket_tokens = ?, bucket_at = ?", bucket.tokens - input.items, now);
    this.bump();
    const result: ReserveResult = { ok: true, hold: this.hold(input.holdId)!, replayed: false };
    this.keys.remember(input.idempotencyKey, params, result);
    return result;
  }

  /**
   * Resolves an open hold once: the completed items that were not free are captured,
   * everything else is released. Settling again with the same count returns the first
   * outcome; a hold that was released (cancel, failed submit, orphan) can only "settle"
   * for zero items — completed work against it is a mismatch, never a silent "ok".
   */
  settle(holdId: string, completedItems: number): SettleResult {
    const row = this.sql.exec<HoldRow>("SELECT * FROM holds WHERE id = ?", holdId).toArray()[0];
    if (!row) return { ok: false, reason: "not_found" };
    // Compare the clamped count: the stored one was clamped, so an over-count replays.
    const completed = Math.max(0, Math.min(completedItems, row.items));
    if (row.status !== "open") {
      const settledFor = row.status === "settled" ? row.completed_items : 0;
      if (settledFor !== completed) {
        return { ok: false, reason: "mismatch", hold: toHold(row), message: `hold ${holdId} was ${row.status} for ${settledFor} items, not ${completed}` };
      }
      return { ok: true, hold: toHold(row), replayed: true };
    }
    const freeUsed = Math.min(completed, row.free_items);
    const captured = (completed - freeUsed) * row.unit_cost;
    this.resolve(row, "settled", captured, completed);
    if (freeUsed > 0) {
      this.append("usage", 0, `${holdId}:usage`, row.reference, `${freeUsed} item(s) covered without charge`, `${holdId}:settle`);
    }
    return { ok: true, hold: this.hold(holdId)!, replayed: false };
  }

  /** Gives the whole hold back (cancel, failed enqueue, expiry). Harmless when already resolved. */
  release(holdId: string): SettleResult {
    const row = this.sql.exec<HoldRow>("SELECT * FROM holds WHERE id = ?", holdId).toArray()[0];
    if (!row) return { ok: false, reason: "not_found" };
    if (row.status !== "open") return { ok: true, hold: toHold(row), replayed: true };
    this.resolve(row, "released", 0, 0);
    return { ok: true, hold: this.hold(holdId)!, replayed: false };
  }

  /** Open holds past their expiry, oldest first: the alarm decides for each whether it may go. */
  expiredHolds(): Hold[] {
    return this.sql.exec<HoldRow>("SELECT * FROM holds WHERE status = 'open' AND expires_at <= ? ORDER BY expires_at", this.now()).toArray().map(toHold);
  }

  /** Pushes an open hold's expiry out (its work is still running). */
  extendHold(holdId: string, seconds: number): void {
    this.sql.exec("UPDATE holds SET expires_at = ? WHERE id = ? AND status = 'open'", this.now() + seconds * 1000, holdId);
  }

  credit(input: CreditInput): CreditResult {
    const params = { op: "credit", ...input };
    const replay = this.keys.replay<CreditResult>(input.idempotencyKey, params);
    if (replay) return replay.result.ok ? { ...replay.result, replayed: true } : replay.result;
    const reference = refString(input.reference);
    const { balance, held } = this.balance();
    if (input.amount < 0 && balance + input.amount < held) return { ok: false, reason: "below_held", balance, held };
    if (input.kind === "refund") {
      const refundable = this.refundable(reference);
      if (input.amount > refundable) return { ok: false, reason: "refund_exceeds_charge", refundable };
    }
    const entry = this.append(input.kind, input.amount, `credit:${input.idempotencyKey}`, reference, input.description, input.idempotencyKey);
    const result: CreditResult = { ok: true, entry, replayed: false };
    this.keys.remember(input.idempotencyKey, params, result);
    return result;
  }

  setDailyQuota(input: QuotaInput): { ok: true } | Conflict {
    const params = { op: "quota", ...input };
    const replay = this.keys.replay<{ ok: true }>(input.idempotencyKey, params);
    if (replay) return replay.result;
    this.sql.exec("UPDATE account SET quota_limit = ?, quota_expires_at = ?", input.limit, Date.parse(input.expiresAt));
    this.bump();
    this.keys.remember(input.idempotencyKey, params, { ok: true });
    return { ok: true };
  }

  /**
   * A paid plan starts now for its period, or, bought again while the same plan runs, extends
   * it. Its daily quota (or none) replaces the account's; when it ends, the user is on free
   * again with every credit they had.
   */
  applyPlan(input: PlanInput): PlanResult {
    const params = { op: "plan", ...input };
    const replay = this.keys.replay<PlanResult>(input.idempotencyKey, params);
    if (replay) return replay.result.ok ? { ...replay.result, replayed: true } : replay.result;
    const now = this.now();
    const current = this.activePlan();
    const startsAt = current?.planId === input.planId ? Date.parse(current.startsAt) : now;
    const endsAt = (current?.planId === input.planId ? Date.parse(current.endsAt) : now) + input.periodDays * 86_400_000;
    this.sql.exec(
      `INSERT INTO plan (id, plan_id, name, tier, daily_pose_quota, unlimited, starts_at, ends_at) VALUES (1, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT(id) DO UPDATE SET plan_id = excluded.plan_id, name = excluded.name, tier = excluded.tier,
         daily_pose_quota = excluded.daily_pose_quota, unlimited = excluded.unlimited, starts_at = excluded.starts_at, ends_at = excluded.ends_at`,
      input.planId,
      input.name,
      input.tier,
      input.dailyPoseQuota,
      input.unlimited ? 1 : 0,
      startsAt,
      endsAt,
    );
    this.sql.exec("UPDATE account SET quota_limit = ?, quota_expires_at = ?", input.dailyPoseQuota, input.dailyPoseQuota === null ? null : endsAt);
    this.bump();
    const result: PlanResult = { ok: true, plan: this.activePlan()!, replayed: false };
    this.keys.remember(input.idempotencyKey, params, result);
    return result;
  }

  /** Idempotency keys are kept at least `keepMs` (≥ 24 h) and then forgotten. */
  purgeIdempotency(keepMs: number): void {
    this.keys.purge(keepMs);
  }

  // ---- internals -----------------------------------------------------------

  private held(): number {
    return this.sql.exec<{ held: number }>("SELECT COALESCE(SUM(amount), 0) AS held FROM holds WHERE status = 'open'").one().held;
  }

  private resolve(row: HoldRow, status: "settled" | "released", captured: number, completed: number): void {
    const released = row.amount - captured;
    const freeUnused = row.free_items - Math.min(completed, row.free_items);
    this.sql.exec(
      "UPDATE holds SET status = ?, captured = ?, released = ?, completed_items = ?, resolved_at = ? WHERE id = ? AND status = 'open'",
      status,
      captured,
      released,
      status === "settled" ? completed : null,
      this.now(),
      row.id,
    );
    if (row.quota_day && freeUnused > 0) this.addQuotaUse(row.quota_day, -freeUnused);
    if (captured > 0) this.append("capture", -captured, `${row.id}:capture`, row.reference, `Charged for ${completed} item(s)`, `${row.id}:settle`);
    if (released > 0) this.append("release", 0, `${row.id}:release`, row.reference, `Released ${released} held credit(s)`, `${row.id}:settle`);
    this.bump();
  }

  /** Appends an entry, chained to the one before it, and moves the balance in the same statement group. */
  private append(kind: EntryKind, amount: number, id: string, reference: string | null, description: string, key: string): Entry {
    this.sql.exec("UPDATE account SET balance = balance + ?", amount);
    const { balance } = this.sql.exec<{ balance: number }>("SELECT balance FROM account").one();
    const previous = this.sql.exec<{ hash: string | null }>("SELECT hash FROM entries ORDER BY seq DESC LIMIT 1").toArray()[0]?.hash ?? GENESIS;
    const createdAt = this.now();
    const hash = entryHash(previous, { id, kind, amount, balanceAfter: balance, reference, description, createdAt: new Date(createdAt).toISOString() });
    const row = this.sql
      .exec<EntryRow>(
        `INSERT INTO entries (id, kind, amount, balance_after, reference, description, idempotency_key, created_at, hash)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING *`,
        id,
        kind,
        amount,
        balance,
        reference,
        description,
        key,
        createdAt,
        hash,
      )
      .one();
    this.bump();
    return toEntry(row);
  }

  /**
   * The entries created in [from, to) (ms), oldest first, with the hash before the first of
   * them (`previous`) and after the last (`head`): the excerpt verifies on its own, and a full
   * statement runs from the genesis to the chain's head.
   */
  statement(from: number, to: number): { previous: string; entries: ChainedEntry[]; head: string } {
    const rows = this.sql.exec<EntryRow>("SELECT * FROM entries WHERE created_at >= ? AND created_at < ? ORDER BY seq", from, to).toArray();
    const before = rows[0]?.seq ?? this.sql.exec<{ next: number }>("SELECT COALESCE(MAX(seq), 0) + 1 AS next FROM entries WHERE created_at < ?", from).one().next;
    const previous = this.sql.exec<{ hash: string | null }>("SELECT hash FROM entries WHERE seq < ? ORDER BY seq DESC LIMIT 1", before).toArray()[0]?.hash ?? GENESIS;
    return { previous, entries: rows.map(toChainedEntry), head: rows.at(-1)?.hash ?? previous };
  }

  private refundable(reference: string | null): number {
    if (reference === null) return 0;
    const r = this.sql
      .exec<{ captured: number; refunded: number }>(
        `SELECT COALESCE(SUM(CASE WHEN kind = 'capture' THEN -amount END), 0) AS captured,
              COALESCE(SUM(CASE WHEN kind = 'refund' THEN amount END), 0) AS refunded
       FROM entries WHERE reference = ?`,
        reference,
      )
      .one();
    return r.captured - r.refunded;
  }

  private refill(now: number, limit: RateLimit): { tokens: number } {
    const a = this.sql.exec<{ bucket_tokens: number | null; bucket_at: number | null }>("SELECT bucket_tokens, bucket_at FROM account").one();
    const capacity = limit.itemsPerHour;
    if (a.bucket_tokens === null || a.bucket_at === null) return { tokens: capacity };
    const elapsedSeconds = Math.max(0, now - a.bucket_at) / 1000;
    return { tokens: Math.min(capacity, a.bucket_tokens + (elapsedSeconds * capacity) / 3600) };
  }

  private quotaUsed(day: string): number {
    return this.sql.exec<{ used: number }>("SELECT used FROM quota_usage WHERE day = ?", day).toArray()[0]?.used ?? 0;
  }

  private quotaRemaining(now: number, day: string): number {
    const a = this.sql.exec<{ quota_limit: number | null; quota_expires_at: number | null }>("SELECT quota_limit, quota_expires_at FROM account").one();
    if (a.quota_limit === null || a.quota_expires_at === null || a.quota_expires_at <= now) return 0;
    return Math.max(0, a.quota_limit - this.quotaUsed(day));
  }

  private addQuotaUse(day: string, delta: number): void {
    this.sql.exec("INSERT INTO quota_usage (day, used) VALUES (?, MAX(?, 0)) ON CONFLICT(day) DO UPDATE SET used = MAX(used + ?, 0)", day, delta, delta);
  }

  private bump(): void {
    this.sql.exec("UPDATE account SET version = version + 1");
  }

  private conflict(message: string): Conflict {
    return { ok: false, reason: "conflict", message };
  }
}
