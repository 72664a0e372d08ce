/**
 * Workers Analytics Engine data points: one per finished item, generation and order, and one
 * per failure (a provider error, a dead letter); the schema is in the README. The binding is
 * optional: without it nothing is written. A write never fails the work it describes.
 */
import { loadConfig } from "../config/config";
import { errorMessage } from "../core/errors";
import { log } from "../core/log";
import type { orders } from "../db/billing";

/** What every point holds, in the README's field order. */
interface Point {
  kind: "item" | "generation" | "order" | "failure";
  /** index1 and blob2: the app, or `billing` for an order. */
  app: string;
  model: string;
  status: string;
  id: string;
  detail?: string | null;
  latencyMs: number;
  /** Credits charged (generation), granted (order) or the attempt (failure). */
  value: number;
  /** An order's amount in whole units of its currency. */
  amount?: number;
}

function write(env: Env, p: Point): void {
  if (!env.ANALYTICS) return;
  try {
    env.ANALYTICS.writeDataPoint({
      indexes: [p.app],
      blobs: [p.kind, p.app, p.model, p.status, p.id, (p.detail ?? "").slice(0, 200)],
      doubles: [Math.max(0, p.latencyMs), p.value, p.amount ?? 0],
    });
  } catch (e) {
    log("warn", "analytics.write_failed", { kind: p.kind, id: p.id, error: errorMessage(e) });
  }
}

/** The model that did the work: the provider and, when configured, its model. */
function modelOf(env: Env): string {
  const loaded = loadConfig(env);
  if (!loaded.ok) return "unknown";
  const { AI_PROVIDER, AI_MODEL } = loaded.config;
  return AI_MODEL ? `${AI_PROVIDER}:${AI_MODEL}` : AI_PROVIDER;
}

export interface WorkEvent {
  kind: "item" | "generation";
  appId: string;
  /** completed | failed | partial | cancelled */
  status: string;
  /** From creation to the terminal state. */
  latencyMs: number;
  /** Credits charged (generations) or 0 (items). */
  credits: number;
  /** The generation (for an item, its own id is the generation's plus its key). */
  id: string;
  error?: string | null;
}

export function recordWork(env: Env, event: WorkEvent): void {
  write(env, { kind: event.kind, app: event.appId, model: modelOf(env), status: event.status, id: event.id, detail: event.error, latencyMs: event.latencyMs, value: event.credits });
}

export interface FailureEvent {
  appId: string;
  itemId: string;
  /** provider-retry (it will be tried again), provider-permanent, dead-letter (retries exhausted). */
  status: "provider-retry" | "provider-permanent" | "dead-letter";
  attempt: number;
  /** From the item's creation to this failure. */
  latencyMs: number;
  error: string;
}

export function recordFailure(env: Env, event: FailureEvent): void {
  write(env, { kind: "failure", app: event.appId, model: modelOf(env), status: event.status, id: event.itemId, detail: event.error, latencyMs: event.latencyMs, value: event.attempt });
}

/** An order that just moved to paid, failed or expired (by the conditional update that won). */
export function recordOrder(env: Env, order: typeof orders.$inferSelect): void {
  write(env, {
    kind: "order",
    app: "billing",
    model: order.gateway,
    status: order.status,
    id: order.id,
    detail: order.currency,
    latencyMs: order.updatedAt - order.createdAt,
    value: order.status === "paid" ? order.credits : 0,
    amount: order.amount,
  });
}
