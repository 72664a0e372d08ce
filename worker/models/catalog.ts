/**
 * The model registry: each app's models with their provider, the tier that may use them and
 * their price per action. Every app has its free "standard" model on the configured
 * provider (the offline procedural one unless AI_PROVIDER says otherwise), priced as the
 * app's manifest; paid models are configured entries on Workers AI or Hugging Face, usable
 * where their provider is set up.
 */
import { FLUX_SCHNELL } from "../ai/workers-ai";
import type { ProviderName } from "../ai/select";
import type { Tier } from "../account/types";
import type { AppManifest } from "../apps/types";
import type { Config } from "../config/config";
import { ApiError } from "../http/errors";

export interface ModelDefinition {
  id: string;
  name: string;
  provider: ProviderName;
  /** The provider's own model id (the standard model uses AI_MODEL or the provider's default). */
  providerModel?: string;
  tier: Tier;
  /** Action → credits, like the manifest's. */
  credits: Record<string, number>;
  default: boolean;
}

export const STANDARD_MODEL = "standard";
const SDXL_HF = "stabilityai/stable-diffusion-xl-base-1.0";

const paid = (id: string, name: string, provider: ProviderName, providerModel: string, tier: Tier, credits: Record<string, number>): ModelDefinition => ({
  id,
  name,
  provider,
  providerModel,
  tier,
  credits,
  default: false,
});

const PAID_MODELS: Record<string, ModelDefinition[]> = {
  "pose-generator": [
    paid("flux-schnell", "FLUX.1 schnell", "workers-ai", FLUX_SCHNELL, "pro", { pose: 40, backgroundChanger: 10 }),
    paid("sdxl", "Stable Diffusion XL", "huggingface", SDXL_HF, "enterprise", { pose: 60, backgroundChanger: 10 }),
  ],
  "avatar-creator": [
    paid("flux-schnell", "FLUX.1 schnell", "workers-ai", FLUX_SCHNELL, "pro", { avatar: 15 }),
    paid("sdxl", "Stable Diffusion XL", "huggingface", SDXL_HF, "enterprise", { avatar: 25 }),
  ],
  // The engine's test app proves tiers and model prices offline.
  "test-pipeline": [paid("pro-test", "Procedural (pro test)", "procedural", "procedural", "pro", { item: 9 })],
};

/** The free model on the configured provider, at the given prices. */
export const standardModel = (config: Config, credits: Record<string, number>): ModelDefinition => ({
  id: STANDARD_MODEL,
  name: "Standard",
  provider: config.AI_PROVIDER,
  tier: "free",
  credits,
  default: true,
});

export function modelsOf(config: Config, manifest: AppManifest): ModelDefinition[] {
  return [standardModel(config, manifest.credits), ...(PAID_MODELS[manifest.id] ?? [])];
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
    throw new ApiError("VALIDATION_ERROR", `Invalid body: modelId must be one of ${models.map((m) => m.id).join(", ")}`, [
      { path: ["modelId"], code: "invalid_value", message: "unknown model" },
    ]);
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
