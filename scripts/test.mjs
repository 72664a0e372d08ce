// `npm test`: generated types current, format and lint, typecheck worker and web, the layer rules, build the SPA, check the deployed bundle, run every suite.
import { SPA_BUILD, runConcurrently, spaBuild } from "./lib.mjs";

const spa = spaBuild();
// The static checks do not depend on each other, so they run at once; only the bundle check
// waits, for the SPA build (wrangler wants its assets directory).
await runConcurrently([
  [{ tool: "wrangler", args: ["types", "--include-runtime", "false", "--strict-vars", "false", "--check"], quiet: true }],
  // One formatter and linter for everything (biome.jsonc); `npx biome check --write .` fixes what it can.
  [{ tool: "biome", args: ["ci", "."] }],
  [{ tool: "tsc", args: ["--noEmit", "-p", "tsconfig.json"] }],
  // The layers point one way (.dependency-cruiser.cjs): a folder imports only the layers below it.
  [{ tool: "depcruise", args: ["worker", "bench/support", "test/support", "--config", ".dependency-cruiser.cjs"] }],
  [{ tool: "tsc", args: ["--noEmit", "-p", "web/tsconfig.json"] }],
  [
    // An SPA built from these very sources is kept (scripts/lib.mjs, spaBuild).
    ...(spa.current ? [] : [{ tool: "vite", args: SPA_BUILD, onSuccess: spa.stamp }]),
    // The deployed bundle: it builds, ships no test or benchmark code, and fits its size budget.
    { tool: "node", args: ["scripts/bundle.mjs"] },
  ],
]);
if (spa.current) console.log("✔ web/dist was built from the current sources; not rebuilt");
// The worker suites and the browser tests (real Chromium against their own wrangler dev, see
// scripts/e2e.mjs) share no state, and the browser tests leave gaps on the cores: run at once,
// both are done sooner than one after the other (308 s against 365 s, measured back to back).
await runConcurrently([[{ tool: "vitest", args: ["run"] }], [{ tool: "node", args: ["scripts/e2e.mjs"] }]]);
