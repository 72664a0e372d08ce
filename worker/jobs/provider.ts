/** The image provider the consumer hands to apps, chosen by configuration. */
import { createProceduralProvider } from "../ai/procedural";
import type { ImageProvider } from "../ai/provider";
import type { Config } from "../config/config";

export function providerFor(config: Config): ImageProvider {
  return createProceduralProvider(config.PROCEDURAL_FAIL_TRIGGER ? { failWhenPromptIncludes: config.PROCEDURAL_FAIL_TRIGGER } : {});
}
