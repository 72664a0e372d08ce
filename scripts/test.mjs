// `npm test`: generated types current, format and lint, typecheck worker and web, the layer rules, build the SPA, check the deployed bundle, run every suite.
import { run } from "./lib.mjs";

run("wrangler", ["types", "--include-runtime", "false", "--strict-vars", "false", "--check"], { quiet: true });
console.log("✔ worker-configuration.d.ts matches wrangler.toml");
// One formatter and linter for everything (biome.jsonc); `npx biome check --write .` fixes what it can.
run("biome", ["ci", "."]);
run("tsc", ["--noEmit", "-p", "tsconfig.json"]);
// The layers point one way (.dependency-cruiser.cjs): a folder imports only the layers below it.
run("depcruise", ["worker", "bench/support", "test/support", "--config", ".dependency-cruiser.cjs"]);
run("tsc", ["--noEmit", "-p", "web/tsconfig.json"]);
run("vite", ["build", "--config", "web/vite.config.ts", "--logLevel", "warn"]);
// The deployed bundle (after the SPA build: wrangler wants its assets directory): it builds,
// ships no test or benchmark code, and fits its size budget.
run("node", ["scripts/bundle.mjs"]);
run("vitest", ["run"]);
// Browser tests in real Chromium against their own wrangler dev (see scripts/e2e.mjs).
run("node", ["scripts/e2e.mjs"]);
