/**
 * Account: one Durable Object per user (idFromName(userId)), the single source of truth
 * for that user's credits. Every mutation is one `transactionSync` over the Ledger, so it
 * is serialized, atomic and idempotent; after it commits, the object announces the new
 * balance to the user's sockets and schedules the D1 projection.
 */
import { DurableObject } from "cloudflare:workers";
import { z } from "zod";
import { loadConfig } from "../config/config";
import { log } from "../core/log";
import type { RealtimeEvent } from "./events";
import { HoldEnds } from "./hold-ends";
import { Ledger, type RateLimit } from "./ledger";
import { migrate } from "./migrations";
import { Key, SessionId, Reason, ReserveSchema, CreditSchema, PlanSchema, StepSchema, QuotaSchema } from "./rpc-input";
import { d1Records, type AccountRecords } from "./records";
import { type Authed, type RotateOutcome, RotateSchema, type SessionRecord, Sessions, type SessionUser, SessionUser as SessionUserSchema, StartSessionSchema } from "./sessions";
import { Tickets } from "./tickets";
import { UNLIMITED_TAG } from "./types";
import type {
  AccountAudit,
  ActivePlan,
  Balance,
  CreditInput,
  CreditResult,
  GenerationStep,
  Hold,
  HistoryPage,
  PlanInput,
  PlanResult,
  QuotaInput,
  ReserveInput,
  ReserveResult,
  SettleResult,
} from "./types";

const IDEMPOTENCY_KEEP_MS = 7 * 86_400_000;
/** After a failed D1 call the alarm tries again this much later (not every second while D1 is down). */
const RETRY_AFTER_D1_FAILURE_MS = 30_000;
/** Clients send at most small pings; anything larger is a misbehaving peer. */
const MAX_CLIENT_FRAME_BYTES = 1024;
const PURGE_EVERY_MS = 86_400_000;
/** Bursts of mutations share one D1 projection write (measured: one write per charge otherwise). */
const PROJECTION_DELAY_MS = 1000;

/** The generation a hold is for ("generation:<id>"), or null for other holds. */
export class Account extends DurableObject<Env> {
  private readonly ledger: Ledger;
  private readonly tickets: Tickets;
  private readonly sessions: Sessions;
  private readonly records: AccountRecords;
  private readonly holdEnds: HoldEnds;
  /** When the storage alarm is set to fire (null: none), once read; only this object sets it. */
  private alarmAt: number | null | undefined;
  private lastPurge = 0;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.ledger = new Ledger(ctx.storage.sql);
    this.tickets = new Tickets(ctx.storage.sql);
    this.sessions = new Sessions(ctx.storage.sql);
    this.records = d1Records(env.DB);
    this.holdEnds = new HoldEnds(ctx.storage, this.ledger, this.records);
    void ctx.blockConcurrencyWhile(async () => {
      migrate(ctx.storage);
    });
    // Answered by the runtime without waking the object: sockets hibernate between events.
    ctx.setWebSocketAutoResponse(new WebSocketRequestResponsePair('{"type":"ping"}', '{"type":"pong"}'));
  }

  // ---- realtime ------------------------------------------------------------

  /** A single-use nonce for this user's WebSocket ticket, which the Worker signs (see /api/realtime/ticket). */
  async issueTicket(): Promise<{ nonce: string; expiresAt: number }> {
    return this.tickets.issue();
  }

  /**
   * Only WebSocket upgrades reach the object over fetch, once the Worker has verified the
   * ticket's signature; its nonce is consumed here, so each ticket opens one socket.
   */
  override async fetch(request: Request): Promise<Response> {
    if (request.headers.get("Upgrade")?.toLowerCase() !== "websocket") return new Response("Expected a WebSocket upgrade", { status: 426 });
    const nonce = request.headers.get("X-Ticket-Nonce") ?? "";
    if (!(await this.tickets.consume(nonce))) return new Response("Ticket is invalid, used or expired", { status: 401 });
    const { 0: client, 1: server } = new WebSocketPair();
    this.ctx.acceptWebSocket(server);
    const { balance, held, available } = this.ledger.balance();
    const hello: RealtimeEvent = { type: "credits.changed", balance, held, available };
    server.send(JSON.stringify(hello));
    return new Response(null, { status: 101, webSocket: client });
  }

  /**
   * One step of a generation in one call: the item's progress goes to the sockets and, when
   * the step finished the generation, its hold is settled for the completed items and the
   * outcome announced (once: a replayed settle announces nothing). Answers the settle's
   * result, or null for a step that finished nothing.
   */
  async generationStep(step: GenerationStep): Promise<SettleResult | null> {
    const { generationId, finish } = StepSchema.parse(step);
    if (step.progress) this.broadcast(step.progress);
    if (!finish) return null;
    const settled = this.ctx.storage.transactionSync(() => this.ledger.settle(generationId, finish.completedItems));
    if (settled.ok && !settled.replayed) await this.committed();
    if ((settled.ok && !settled.replayed) || (!settled.ok && settled.reason === "mismatch")) {
      this.broadcast({ type: "generation.finished", at: Date.now(), generationId, status: finish.status, charged: settled.hold.captured, refunded: settled.hold.released });
    }
    return settled;
  }

  override async webSocketMessage(ws: WebSocket, message: string | ArrayBuffer): Promise<void> {
    const size = typeof message === "string" ? message.length : message.byteLength;
    if (size > MAX_CLIENT_FRAME_BYTES) ws.close(1009, "Message too large");
  }

  override async webSocketClose(ws: WebSocket, code: number): Promise<void> {
    // 1005/1006 are reserved for "no status"/"abnormal" and may not be sent back.
    ws.close(code === 1005 || code === 1006 ? 1000 : code, "closing");
  }

  /** Health probe: proves the object runs and its storage answers. */
  async ping(): Promise<{ version: number }> {
    return { version: this.ledger.version() };
  }

  /** Binds the object to its user and grants the signup credits exactly once. */
  async open(userId: string, signupCredits: number): Promise<Balance> {
    z.string().min(1).max(64).parse(userId);
    z.number().int().min(0).parse(signupCredits);
    this.ctx.storage.transactionSync(() => this.ledger.open(userId, signupCredits));
    await this.committed();
    return this.ledger.balance();
  }

  async balance(): Promise<Balance> {
    return this.ledger.balance();
  }

  async history(limit: number, beforeSeq: number | null): Promise<HistoryPage> {
    const { entries, nextSeq } = this.ledger.history(limit, beforeSeq);
    return { items: entries, nextCursor: nextSeq === null ? null : String(nextSeq) };
  }

  /** The signed statement's content: entries in [from, to) with their chain (see core/chain.ts). */
  async statement(from: number, to: number): Promise<ReturnType<Ledger["statement"]>> {
    z.number().int().min(0).parse(from);
    z.number().int().min(from).parse(to);
    return this.ledger.statement(from, to);
  }

  async hold(holdId: string): Promise<Hold | null> {
    return this.ledger.hold(holdId);
  }

  async openHolds(): Promise<Hold[]> {
    return this.ledger.openHolds();
  }

  async audit(): Promise<AccountAudit> {
    return { ...this.ledger.audit(), userId: this.ledger.userId(), projectionPending: this.ledger.isProjectionStale() };
  }

  /** What reconciliation compares, in one call: the audit, the named holds and every open hold. */
  async reconcileView(holdIds: string[]): Promise<{ audit: AccountAudit; holds: Record<string, Hold | null>; openHolds: Hold[]; purchases: Array<{ reference: string | null; amount: number }> }> {
    z.array(Key).max(1000).parse(holdIds);
    const holds: Record<string, Hold | null> = {};
    for (const id of holdIds) holds[id] = this.ledger.hold(id);
    return { audit: await this.audit(), holds, openHolds: this.ledger.openHolds(), purchases: this.ledger.purchases() };
  }

  async reserve(input: ReserveInput): Promise<ReserveResult> {
    const valid = ReserveSchema.parse(input);
    const result = this.ctx.storage.transactionSync(() => this.ledger.reserve(valid, this.rateLimit()));
    if (result.ok && !result.replayed) await this.committed();
    return result;
  }

  async settle(holdId: string, completedItems: number): Promise<SettleResult> {
    Key.parse(holdId);
    z.number().int().min(0).parse(completedItems);
    const result = this.ctx.storage.transactionSync(() => this.ledger.settle(holdId, completedItems));
    if (result.ok && !result.replayed) await this.committed();
    return result;
  }

  async release(holdId: string): Promise<SettleResult> {
    Key.parse(holdId);
    const result = await this.holdEnds.release(holdId);
    if (result.ok && !result.replayed) await this.committed();
    return result;
  }

  async credit(input: CreditInput): Promise<CreditResult> {
    const valid = CreditSchema.parse(input);
    const result = this.ctx.storage.transactionSync(() => this.ledger.credit(valid));
    if (result.ok && !result.replayed) await this.committed();
    return result;
  }

  /** A paid plan: its tier, daily quota and unlimited use for its period (idempotent per order). */
  async applyPlan(input: PlanInput): Promise<PlanResult> {
    const valid = PlanSchema.parse(input);
    const result = this.ctx.storage.transactionSync(() => this.ledger.applyPlan(valid));
    if (result.ok && !result.replayed) await this.committed();
    return result;
  }

  async plan(): Promise<ActivePlan | null> {
    return this.ledger.activePlan();
  }

  async setDailyQuota(input: QuotaInput): Promise<Awaited<ReturnType<Ledger["setDailyQuota"]>>> {
    const valid = QuotaSchema.parse(input);
    const result = this.ctx.storage.transactionSync(() => this.ledger.setDailyQuota(valid));
    await this.committed();
    return result;
  }

  // ---- sessions (sessions.ts) ---------------------------------------------

  async startSession(input: z.input<typeof StartSessionSchema>): Promise<void> {
    const valid = StartSessionSchema.parse(input);
    this.ctx.storage.transactionSync(() => this.sessions.start(valid, Date.now()));
  }

  async rotateRefreshToken(input: z.input<typeof RotateSchema>): Promise<RotateOutcome> {
    const valid = RotateSchema.parse(input);
    return this.ctx.storage.transactionSync(() => this.sessions.rotate(valid));
  }

  /** The user behind a live session, or null: the check every authenticated request makes. */
  async sessionUser(sessionId: string): Promise<SessionUser | null> {
    return SessionId.safeParse(sessionId).success ? this.sessions.check(sessionId, Date.now()) : null;
  }

  /** Keeps what requests learn about the user (role, tags, name) as D1 has it now. */
  async setSessionUser(user: SessionUser): Promise<void> {
    this.sessions.setUser(SessionUserSchema.parse(user));
  }

  async endSession(sessionId: string, reason: string): Promise<boolean> {
    return this.sessions.revoke(SessionId.parse(sessionId), Reason.parse(reason), Date.now());
  }

  /** Ends every session but `keep` (null: all); returns how many were live. */
  async endSessions(reason: string, keep: string | null): Promise<number> {
    return this.sessions.revokeAll(Reason.parse(reason), SessionId.nullable().parse(keep), Date.now());
  }

  async listSessions(limit: number, after: { at: number; id: string } | null): Promise<SessionRecord[]> {
    z.number().int().min(1).max(100).parse(limit);
    return this.sessions.list(limit, z.object({ at: z.number(), id: SessionId }).nullable().parse(after), Date.now());
  }

  // One call for a route that needs the session check and the object's work: the session first.

  async balanceAs(sessionId: string): Promise<Authed<Balance>> {
    return this.asSession(sessionId, () => this.ledger.balance());
  }

  async historyAs(sessionId: string, limit: number, beforeSeq: number | null): Promise<Authed<HistoryPage>> {
    return this.asSession(sessionId, () => this.history(limit, beforeSeq));
  }

  async issueTicketAs(sessionId: string): Promise<Authed<{ nonce: string; expiresAt: number }>> {
    return this.asSession(sessionId, () => this.tickets.issue());
  }

  /** A reserve for the signed-in user: whether they are unlimited comes from their tags here. */
  async reserveAs(sessionId: string, input: Omit<ReserveInput, "unlimited">): Promise<Authed<ReserveResult>> {
    return this.asSession(sessionId, (user) => this.reserve({ ...input, unlimited: user.tags.includes(UNLIMITED_TAG) }));
  }

  private async asSession<T>(sessionId: string, work: (user: SessionUser) => T | Promise<T>): Promise<Authed<T>> {
    const user = await this.sessionUser(sessionId);
    return user ? { ok: true, user, value: await work(user) } : { ok: false };
  }

  /**
   * Erases everything the object stores (ledger, holds, keys, quotas, tickets) and its alarm,
   * and closes the user's sockets: the account is being deleted. Open holds go with the
   * ledger: nothing is charged or paid out after this. The empty schema is set up again, so
   * a late call (a redelivered item) finds an empty account, not a broken one. Safe to repeat.
   */
  async erase(): Promise<void> {
    for (const socket of this.ctx.getWebSockets()) {
      try {
        socket.close(4001, "Account deleted");
      } catch {
        // Already closing.
      }
    }
    await this.ctx.storage.deleteAlarm();
    await this.ctx.storage.deleteAll();
    this.sessions.forget();
    this.alarmAt = null;
    migrate(this.ctx.storage);
  }

  /**
   * Expired holds, the D1 projection and old idempotency keys. Safe to run twice. A D1
   * failure is logged and the alarm re-armed; it never stops the rest of the run.
   */
  override async alarm(): Promise<void> {
    this.alarmAt = null;
    let d1Failed = false;
    const guarded = async <T>(step: string, fn: () => Promise<T>, fallback: T): Promise<T> => {
      try {
        return await fn();
      } catch (e) {
        d1Failed = true;
        log("warn", "account.alarm_step_failed", { userId: this.ledger.userId(), step, error: e instanceof Error ? e.message : String(e) });
        return fallback;
      }
    };
    const released = await guarded("expire_holds", () => this.holdEnds.resolveExpired(), []);
    if (released.length > 0) log("info", "account.holds_expired", { userId: this.ledger.userId(), holds: released.join(",") });
    if (Date.now() - this.lastPurge >= PURGE_EVERY_MS) {
      this.ledger.purgeIdempotency(IDEMPOTENCY_KEEP_MS);
      this.lastPurge = Date.now();
    }
    await guarded("project", () => this.project(), undefined);
    if (released.length > 0) this.announce();
    await this.schedule(d1Failed ? Date.now() + RETRY_AFTER_D1_FAILURE_MS : 0);
  }

  /** After a committed mutation: tell the sockets, and make sure the projection follows. */
  private async committed(): Promise<void> {
    this.announce();
    await this.schedule();
  }

  /** The one place the object announces a balance change. */
  private announce(): void {
    if (this.ctx.getWebSockets().length === 0) return;
    const { balance, held, available } = this.ledger.balance();
    this.broadcast({ type: "credits.changed", balance, held, available });
  }

  private broadcast(event: RealtimeEvent): void {
    const frame = JSON.stringify(event);
    for (const socket of this.ctx.getWebSockets()) {
      try {
        socket.send(frame);
      } catch {
        // A socket that is closing cannot take frames; it is dropped by the runtime.
      }
    }
  }

  /** Writes balance and held to D1 for admin views; versioned so a late write never regresses. */
  private async project(): Promise<void> {
    const userId = this.ledger.userId();
    if (!userId || !this.ledger.isProjectionStale()) return;
    const version = this.ledger.version();
    const { balance, held } = this.ledger.balance();
    await this.records.projectBalance({ userId, balance, held, version });
    this.ledger.markProjected(version);
  }

  /**
   * One alarm serves all timers: the projection shortly if stale, else the next hold
   * expiry or purge — never before `notBefore` (a back-off after a failure).
   */
  private async schedule(notBefore = 0): Promise<void> {
    const now = Date.now();
    const candidates = [now + PURGE_EVERY_MS];
    if (this.ledger.isProjectionStale()) candidates.push(now + PROJECTION_DELAY_MS);
    const expiry = this.ledger.nextHoldExpiry();
    if (expiry !== null) candidates.push(expiry);
    const due = Math.max(Math.min(...candidates), notBefore);
    if (this.alarmAt === undefined) this.alarmAt = await this.ctx.storage.getAlarm();
    if (this.alarmAt !== null && this.alarmAt <= due) return;
    await this.ctx.storage.setAlarm(due);
    this.alarmAt = due;
  }

  private rateLimit(): RateLimit {
    const config = loadConfig(this.env);
    return { itemsPerHour: config.ok ? config.config.GENERATION_ITEMS_PER_HOUR : 500 };
  }
}
