/**
 * Bindings and secrets that `wrangler types` cannot see because they are optional:
 * they exist only when the matching provider is configured.
 */
import type { AiBinding } from "./ai/workers-ai";

interface OptionalBindings {
  /** Workers AI, when AI_PROVIDER=workers-ai: add `[ai] binding = "AI"` to wrangler.toml. */
  AI?: AiBinding;
  /** Hugging Face Inference API token, when AI_PROVIDER=huggingface (`wrangler secret put HF_TOKEN`). */
  HF_TOKEN?: string;
  AI_PROVIDER?: string;
  AI_MODEL?: string;
  LOOP_PROVIDER?: string;
  LOOP_MODEL?: string;
  PROCEDURAL_FAIL_TRIGGER?: string;
  PASSWORD_SCRYPT_LOG_N?: string;
  /** Unset: duitku in production, the sandbox elsewhere. */
  PAYMENT_GATEWAY?: string;
}

declare global {
  interface Env extends OptionalBindings {}
  namespace Cloudflare {
    interface Env extends OptionalBindings {}
  }
}
