/** The image provider the consumer hands to apps: the generation's model, on its provider. */
import { createProvider } from "../ai/select";
import type { ImageProvider } from "../ai/provider";
import type { Config } from "../config/config";
import { STANDARD_MODEL, type ModelDefinition } from "../models/catalog";

const HF_DEFAULT_MODEL = "black-forest-labs/FLUX.1-schnell";

export function providerFor(config: Config, env: Env, model: ModelDefinition): ImageProvider {
  // The standard model runs whatever AI_MODEL names; paid models name their own.
  const named = model.id === STANDARD_MODEL ? config.AI_MODEL : model.providerModel;
  switch (model.provider) {
    case "workers-ai":
      // loadConfig refuses workers-ai without the binding, and chooseModel refuses paid ones.
      return createProvider({ provider: "workers-ai", ai: env.AI!, ...(named ? { model: named } : {}) });
    case "huggingface":
      return createProvider({ provider: "huggingface", token: config.HF_TOKEN!, model: named ?? HF_DEFAULT_MODEL });
    case "procedural":
      return createProvider({
        provider: "procedural",
        ...(config.PROCEDURAL_FAIL_TRIGGER ? { failWhenPromptIncludes: config.PROCEDURAL_FAIL_TRIGGER } : {}),
      });
  }
}
