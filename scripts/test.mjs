// `npm test`: generated types current, typecheck worker and web, build the SPA, run every suite.
import { run } from "./lib.mjs";

run("wrangler", ["types", "--include-runtime", "false", "--strict-vars", "false", "--check"], { quiet: true });
console.log("✔ worker-configuration.d.ts matches wrangler.toml");
run("tsc", ["--noEmit", "-p", "tsconfig.json"]);
run("tsc", ["--noEmit", "-p", "web/tsconfig.json"]);
run("vite", ["build", "--config", "web/vite.config.ts", "--logLevel", "warn"]);
run("vitest", ["run"]);
// Browser tests in real Chromium against their own wrangler dev (see scripts/e2e.mjs).
run("node", ["scripts/e2e.mjs"]);
