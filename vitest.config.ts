import { cloudflareTest, readD1Migrations } from "@cloudflare/vitest-plugin";
import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";
import { experimental_readRawConfig } from "wrangler";

const WHOLE_STATE = [
  "test/admin/reconciliation.test.ts",
  "test/admin/apps.test.ts",
  "test/admin/metrics.test.ts",
  "test/admin/recovery.test.ts",
  "test/account/reconcile.test.ts",
  "test/account/alarm.test.ts",
  "test/account/ledger-model.test.ts",
  "test/account/ledger-crash.test.ts",
  "test/auth/prune.test.ts",
  "test/generations/recovery.test.ts",
  "test/generations/money-model.test.ts",
  "test/generations/keys.test.ts",
  "test/realtime/socket.test.ts",
  // Weighs the isolate's wasm memories, which every earlier file in a shared runtime would have grown.
  "test/apps/looping-flow/budget.test.ts",
  "test/apps/video-mixer/abandoned.test.ts",
  "test/billing/poller.test.ts",
  "test/billing/admin.test.ts",
  // Expires every pending order it finds.
  "test/analytics/events.test.ts",
];

export default defineConfig(async () => {
  const migrations = await readD1Migrations("./migrations");
  const declaredVars = experimental_readRawConfig({ config: "./wrangler.toml" }).rawConfig.vars ?? {};
  return {
    plugins: [
      cloudflareTest({
        // The product plus the test app and benchmark routes; wrangler.toml's main is the deployed Worker.
        main: "./test/support/worker.ts",
        wrangler: { configPath: "./wrangler.toml" },
        miniflare: {
          bindings: {
            ENVIRONMENT: "test",
            JWT_KEYS: "test-2:t3st-signing-key-two-0123456789abcdefghij,test-1:t3st-signing-key-one-0123456789abcdefghij",
            FILE_URL_SECRET: "t3st-file-url-key-0123456789abcdefghijklmn",
            // A test-only Ed25519 key for ledger statements.
            STATEMENT_KEYS: JSON.stringify([
              { kty: "OKP", crv: "Ed25519", kid: "test-statement-1", x: "CmszIUuuYDdEoUTgGH5qrackC-E0LsE1mlyOKHVejoo", d: "LDEUJ4O4qCQ_YFx2n5QpWnmvcbl3a_5Ba4K7gdLZ4ZM" },
            ]),
            // Cheap hashing keeps the suite fast; production refuses this setting.
            PASSWORD_SCRYPT_LOG_N: "10",
            AUTH_RATE_LIMIT_PER_IP: "100000",
            AUTH_RATE_LIMIT_PER_EMAIL: "1000",
            QUEUE_RETRY_BASE_SECONDS: "0",
            // The offline sandbox gateway signs and checks with these, as Duitku's would.
            PAYMENT_GATEWAY: "sandbox",
            DUITKU_MERCHANT_CODE: "DSBX01",
            DUITKU_API_KEY: "t3st-duitku-api-key-0123456789abcdef",
            TEST_MIGRATIONS: migrations,
            // test/generations/money-model.test.ts: more sequences, or one failing seed replayed.
            MODEL_RUNS: process.env.MODEL_RUNS ?? "",
            MODEL_SEED: process.env.MODEL_SEED ?? "",
            MODEL_PATH: process.env.MODEL_PATH ?? "",
            // wrangler.toml's [vars] before the overrides above: what a plain `wrangler deploy` runs with.
            WRANGLER_TOML_VARS: { ...declaredVars },
          },
        },
      }),
    ],
    // mediabunny's ESM entry re-exports node:fs for Node; its browser bundle is what wrangler resolves.
    resolve: { alias: { mediabunny: fileURLToPath(new URL("./node_modules/mediabunny/dist/bundles/mediabunny.mjs", import.meta.url)) } },
    test: {
      setupFiles: ["./test/support/setup.ts"],
      // libwebp's Emscripten glue assigns import.meta.url, which only Vite's own transform keeps valid.
      server: { deps: { inline: [/@jsquash\/webp/] } },
      testTimeout: 30_000,
      silent: "passed-only" as const,
      hookTimeout: 30_000,
      // One runtime per core, not vitest's default of one fewer: a file waiting on its queue or
      // an alarm leaves its core to another file (on 2 cores the default ran one file at a time).
      maxWorkers: "100%",
      projects: [
        // Most files share a runtime per worker (one startup, not one per file); they touch
        // only users, objects and rows they create.
        { extends: true, test: { name: "shared", include: ["test/**/*.test.ts"], exclude: ["test/e2e/**", ...WHOLE_STATE], isolate: false } },
        // Files that sweep or count everything (recovery, reconciliation, alarms, object ids)
        // get storage of their own, so another file's rows can never change what they see.
        { extends: true, test: { name: "isolated", include: WHOLE_STATE } },
      ],
    },
  };
});
