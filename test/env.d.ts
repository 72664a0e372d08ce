import type { D1Migration } from "cloudflare:test";

declare global {
  namespace Cloudflare {
    interface Env {
      TEST_MIGRATIONS: D1Migration[];
      WRANGLER_TOML_VARS: Record<string, unknown>;
      MODEL_RUNS: string;
      MODEL_SEED: string;
      MODEL_PATH: string;
    }
  }
}
