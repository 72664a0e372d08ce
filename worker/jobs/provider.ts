/** The image provider the consumer hands to apps, chosen by configuration. */
import { createProvider } from "../ai/select";
import type { ImageProvider } from "../ai/provider";
import type { Config } from "../config/config";

const HF_DEFAULT_MODEL = "black-forest-labs/FLUX.1-schnell";

export function providerFor(config: Config, env: Env): ImageProvider {
  switch (config.AI_PROVIDER) {
    case "workers-ai":
      // loadConfig refuses workers-ai without the binding.
      return createProvider({ provider: "workers-ai", ai: env.AI!, ...(config.AI_MODEL ? { model: config.AI_MODEL } : {}) });
    case "huggingface":
      return createProvider({ provider: "huggingface", token: config.HF_TOKEN!, model: config.AI_MODEL ?? HF_DEFAULT_MODEL });
    case "procedural":
      return createProvider({
        provider: "procedural",
        ...(config.PROCEDURAL_FAIL_TRIGGER ? { failWhenPromptIncludes: config.PROCEDURAL_FAIL_TRIGGER } : {}),
      });
  }
}
