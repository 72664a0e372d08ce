/**
 * Builds the configured provider, wrapped with a deadline and the provider's circuit breaker.
 * Independent of the Env type: the caller maps configuration onto these options.
 */
import type { Config } from "../config/config";
import { type BreakerOptions, DEFAULT_BREAKER, breakerFor } from "./breaker";
import { guarded } from "./guard";
import { type HuggingFaceOptions, createHuggingFaceProvider } from "./huggingface";
import { type ProceduralOptions, createProceduralProvider } from "./procedural";
import type { ImageProvider } from "./provider";
import { type WorkersAiOptions, createWorkersAiProvider } from "./workers-ai";

export const PROVIDER_NAMES = ["procedural", "workers-ai", "huggingface"] as const;
export type ProviderName = (typeof PROVIDER_NAMES)[number];

export type ProviderChoice = ({ provider: "procedural" } & ProceduralOptions) | ({ provider: "workers-ai" } & WorkersAiOptions) | ({ provider: "huggingface" } & HuggingFaceOptions);

export interface Resilience {
  /** Per call; default 10 s for procedural, 60 s for remote models. */
  timeoutMs?: number;
  /** Applied when the provider's breaker is first created in this isolate. */
  breaker?: BreakerOptions;
}

export function createProvider(options: ProviderChoice & Resilience): ImageProvider {
  let provider: ImageProvider;
  switch (options.provider) {
    case "procedural":
      provider = createProceduralProvider(options);
      break;
    case "workers-ai":
      provider = createWorkersAiProvider(options);
      break;
    case "huggingface":
      provider = createHuggingFaceProvider(options);
      break;
  }
  const timeoutMs = options.timeoutMs ?? (options.provider === "procedural" ? 10_000 : 60_000);
  return guarded(provider, { timeoutMs, breaker: breakerFor(provider.name, options.breaker ?? DEFAULT_BREAKER) });
}

/** A provider and its model id; unset, the one configuration selects (AI_PROVIDER, AI_MODEL). */
export interface ModelChoice {
  provider: ProviderName;
  model?: string;
}

const HF_DEFAULT_MODEL = "black-forest-labs/FLUX.1-schnell";

/** The provider the consumer hands to apps: the configured one, or the one a paid model names. */
export function providerFor(config: Config, env: Env, choice?: ModelChoice): ImageProvider {
  const provider = choice?.provider ?? config.AI_PROVIDER;
  const model = choice ? choice.model : config.AI_MODEL;
  switch (provider) {
    case "workers-ai":
      // loadConfig refuses workers-ai without the binding, and chooseModel refuses a paid model without it.
      return createProvider({ provider: "workers-ai", ai: env.AI!, ...(model ? { model } : {}) });
    case "huggingface":
      return createProvider({ provider: "huggingface", token: config.HF_TOKEN!, model: model ?? HF_DEFAULT_MODEL });
    case "procedural":
      return createProvider({
        provider: "procedural",
        ...(config.PROCEDURAL_FAIL_TRIGGER ? { failWhenPromptIncludes: config.PROCEDURAL_FAIL_TRIGGER } : {}),
      });
  }
}
