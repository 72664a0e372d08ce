/**
 * The model registry: each app's models with their provider, the tier that may use them and
 * their price per action. Every app has its free "standard" model on the configured
 * provider (the offline procedural one unless AI_PROVIDER says otherwise), priced as the
 * app's manifest; paid models are configured entries in the manifest, usable where their
 * provider is set up.
 */
import { z } from "zod";
import type { Tier } from "../account/types";
import type { ModelChoice, ProviderName } from "../ai/select";
import type { Config } from "../config/config";
import { ApiError } from "../core/errors";
import { PermanentItemError, type AppManifest, type ModelDefinition } from "./contract";

export const STANDARD_MODEL = "standard";

/** The free model on the configured provider, at the given prices. */
export const standardModel = (config: Config, credits: Record<string, number>): ModelDefinition => ({
  id: STANDARD_MODEL,
  name: "Standard",
  provider: config.AI_PROVIDER,
  tier: "free",
  credits,
  default: true,
});

/** A configured paid model for an app's manifest. */
export const paidModel = (id: string, name: string, provider: ProviderName, providerModel: string, tier: Exclude<Tier, "free">, credits: Record<string, number>): ModelDefinition => ({
  id,
  name,
  provider,
  providerModel,
  tier,
  credits,
  default: false,
});

export function modelsOf(config: Config, manifest: AppManifest): ModelDefinition[] {
  return [standardModel(config, manifest.credits), ...(manifest.models ?? [])];
}

/** Whether this deployment can run the model's provider. */
export function isAvailable(config: Config, env: Pick<Env, "AI">, model: ModelDefinition): boolean {
  if (model.id === STANDARD_MODEL || model.provider === "procedural") return true;
  return model.provider === "workers-ai" ? env.AI !== undefined : config.HF_TOKEN !== undefined;
}

/** The model a generation asked for (the app's default when none): unknown → 400, not set up here → 503. */
export function chooseModel(config: Config, env: Pick<Env, "AI">, manifest: AppManifest, modelId: unknown): ModelDefinition {
  const models = modelsOf(config, manifest);
  if (modelId === undefined) return models.find((m) => m.default)!;
  const model = typeof modelId === "string" ? models.find((m) => m.id === modelId) : undefined;
  if (!model) {
    throw new ApiError("VALIDATION_ERROR", `Invalid body: modelId must be one of ${models.map((m) => m.id).join(", ")}`, [{ path: ["modelId"], code: "invalid_value", message: "unknown model" }]);
  }
  if (!isAvailable(config, env, model)) throw new ApiError("SERVICE_UNAVAILABLE", `The ${model.name} model is not set up on this server`);
  return model;
}

/** The model's price for one action; a model without it is a catalog mistake, not bad input. */
export function costOf(credits: Record<string, number>, action: string): number {
  const cost = credits[action];
  if (cost === undefined) throw new Error(`the model has no price for ${action}`);
  return cost;
}

const ItemModel = z.object({ modelId: z.string().default(STANDARD_MODEL) });

/**
 * What an item runs on: the model its submit chose (items written before models existed run
 * the standard one); undefined choice means the configured provider and AI_MODEL.
 */
export function modelOfItem(config: Config, manifest: AppManifest, params: Record<string, unknown>): ModelChoice | undefined {
  const { modelId } = ItemModel.parse(params);
  const model = modelsOf(config, manifest).find((m) => m.id === modelId);
  if (!model) throw new PermanentItemError(`The model ${modelId} is no longer offered`);
  return model.providerModel ? { provider: model.provider, model: model.providerModel } : undefined;
}
