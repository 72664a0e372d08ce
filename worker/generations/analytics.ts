/**
 * Workers Analytics Engine data points for finished items and generations (schema in the
 * README). The binding is optional: without it nothing is written. A write never fails the
 * work it describes.
 */
import { type Config, loadConfig } from "../config/config";
import { log } from "../core/log";
import { errorMessage } from "../core/errors";

export type EventKind = "item" | "generation";

export interface WorkEvent {
  kind: EventKind;
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

/** The model that did the work: the provider and, when configured, its model. */
const modelOf = (config: Pick<Config, "AI_PROVIDER" | "AI_MODEL">) => (config.AI_MODEL ? `${config.AI_PROVIDER}:${config.AI_MODEL}` : config.AI_PROVIDER);

export function recordWork(env: Env, event: WorkEvent): void {
  if (!env.ANALYTICS) return;
  try {
    const config = loadConfig(env);
    env.ANALYTICS.writeDataPoint({
      indexes: [event.appId],
      blobs: [event.kind, event.appId, config.ok ? modelOf(config.config) : "unknown", event.status, event.id, (event.error ?? "").slice(0, 200)],
      doubles: [event.latencyMs, event.credits],
    });
  } catch (e) {
    log("warn", "analytics.write_failed", { kind: event.kind, id: event.id, error: errorMessage(e) });
  }
}
