/** What a plain `wrangler deploy` runs with: wrangler.toml's [vars], its required secrets and the merchant code. */
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { loadConfig } from "../../worker/config/config";

const deployed = (extra: Record<string, string> = {}) => ({
  ...env.WRANGLER_TOML_VARS,
  JWT_KEYS: env.JWT_KEYS,
  FILE_URL_SECRET: env.FILE_URL_SECRET,
  DUITKU_API_KEY: env.DUITKU_API_KEY,
  DUITKU_MERCHANT_CODE: env.DUITKU_MERCHANT_CODE,
  ...extra,
});

describe("wrangler.toml as deployed", () => {
  it("runs as production", () => {
    expect(loadConfig(deployed())).toMatchObject({ ok: true, config: { ENVIRONMENT: "production", PAYMENT_GATEWAY: "duitku", DUITKU_ENV: "production", PUBLIC_URL: null } });
  });

  it("refuses the offline sandbox gateway, and duitku without its keys", () => {
    expect(loadConfig(deployed({ PAYMENT_GATEWAY: "sandbox" }))).toEqual({ ok: false, problems: [expect.stringContaining("PAYMENT_GATEWAY=sandbox")] });
    expect(loadConfig(deployed({ DUITKU_MERCHANT_CODE: "" }))).toEqual({ ok: false, problems: [expect.stringContaining("DUITKU_MERCHANT_CODE")] });
  });

  it.each([
    ["PROCEDURAL_FAIL_TRIGGER", "showtime"],
    ["PASSWORD_SCRYPT_LOG_N", "10"],
  ])("refuses the test-only %s=%s", (name, value) => {
    expect(loadConfig(deployed({ [name]: value }))).toEqual({ ok: false, problems: [expect.stringContaining(name)] });
  });
});
