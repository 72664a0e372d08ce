/**
 * An item's work, apart from the pipeline around it: its app renders it under the item's own
 * context and provider, and the first still gets its preview. The consumer runs it for every
 * item; the pipeline benchmark runs it in a loop as the ceiling the pipeline is measured against.
 */
import { providerFor } from "../ai/select";
import type { Config } from "../config/config";
import type { Db } from "../db/client";
import type { AppDefinition, ItemOutput, ItemOutputBytes } from "./contract";
import { modelOfItem } from "./models";
import { previewOf } from "./preview";

const ITEM_TIMEOUT_MS = 3 * 60_000;

/** What of an item its work needs (its row in D1 has more). */
export interface ItemToRender {
  generationId: string;
  userId: string;
  key: string;
  /** The item's parameters as its app planned them (JSON). */
  params: string;
}

export function renderItem(env: Env, database: Db, config: Config, app: AppDefinition, item: ItemToRender, attempt: number): Promise<ItemOutput[]> {
  const params = JSON.parse(item.params) as Record<string, unknown>;
  return app.process(params, {
    env,
    db: database,
    config,
    userId: item.userId,
    generationId: item.generationId,
    itemKey: item.key,
    attempt,
    signal: AbortSignal.timeout(ITEM_TIMEOUT_MS),
    provider: providerFor(config, env, modelOfItem(config, app.manifest, params)),
  });
}

/** The outputs plus a small preview made from a still: the original, else the first image that is no animation. */
export async function withPreview(outputs: ItemOutput[]): Promise<ItemOutput[]> {
  const stills = outputs.filter((o): o is ItemOutputBytes => "bytes" in o && o.frames === undefined);
  const original = stills.find((o) => o.format === "original") ?? stills[0];
  return original ? [...outputs, await previewOf(original)] : outputs;
}
