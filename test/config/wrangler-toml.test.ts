/** What a plain `wrangler deploy` runs with: wrangler.toml's [vars] and the two required secrets. */
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { loadConfig } from "../../worker/config/config";

const deployed = (extra: Record<string, string> = {}) => ({
  ...env.WRANGLER_TOML_VARS,
  JWT_KEYS: env.JWT_KEYS,
  FILE_URL_SECRET: env.FILE_URL_SECRET,
  ...extra,
});

describe("wrangler.toml as deployed", () => {
  it("runs as production", () => {
    expect(loadConfig(deployed())).toMatchObject({ ok: true, config: { ENVIRONMENT: "production" } });
  });

  it.each([
    ["PROCEDURAL_FAIL_TRIGGER", "showtime"],
    ["PASSWORD_SCRYPT_LOG_N", "10"],
  ])("refuses the test-only %s=%s", (name, value) => {
    expect(loadConfig(deployed({ [name]: value }))).toEqual({ ok: false, problems: [expect.stringContaining(name)] });
  });
});
