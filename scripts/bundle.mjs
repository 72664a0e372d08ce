// The deployed Worker as `wrangler deploy` would upload it (`--dry-run --outdir`): it must
// bundle, carry no test or benchmark code (read from its source map), and stay within the
// size budget below. Run by `npm test`; prints the sizes.
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative, resolve } from "node:path";
import { gzipSync } from "node:zlib";
import { root, run } from "./lib.mjs";

/**
 * Compressed upload (scripts + wasm), set from the measured size with room for growth (README, "Deploying"):
 * 2.9 MiB with all five apps, most of it wasm (takumi ~1.1 MiB, libwebp, photon); the budget leaves ~10%.
 */
const BUDGET_GZIP_BYTES = 3.2 * 1024 * 1024;
/** Folders whose code only the test and benchmark entries compose. */
const NOT_SHIPPED = /^(test|bench)\//;

const out = mkdtempSync(join(tmpdir(), "lumiku-bundle-"));
process.on("exit", () => rmSync(out, { recursive: true, force: true }));
run("wrangler", ["deploy", "--dry-run", "--outdir", out, "--config", "wrangler.toml"], { quiet: true });

const files = readdirSync(out).filter((f) => /\.(m?js|wasm)$/.test(f));
const bytes = files.map((f) => readFileSync(join(out, f)));
const raw = files.reduce((sum, f) => sum + statSync(join(out, f)).size, 0);
const gzip = bytes.reduce((sum, b) => sum + gzipSync(b, { level: 9 }).length, 0);
const kib = (n) => `${(n / 1024).toFixed(0)} KiB`;
console.log(`✔ wrangler deploy --dry-run bundled ${files.length} files: ${kib(raw)}, ${kib(gzip)} gzipped (budget ${kib(BUDGET_GZIP_BYTES)})`);

const maps = readdirSync(out).filter((f) => f.endsWith(".map"));
// Source map paths are relative to the map; the project's own are those inside the checkout.
const shipped = maps
  .flatMap((f) => JSON.parse(readFileSync(join(out, f), "utf8")).sources.map((s) => relative(root, resolve(out, s))))
  .filter((s) => !s.startsWith("..") && !s.includes("node_modules"));
const leaked = shipped.filter((s) => NOT_SHIPPED.test(s));
let failed = false;
if (shipped.length === 0) {
  console.error("✖ the bundle's source map lists no project sources; cannot check what it ships");
  failed = true;
}
if (leaked.length > 0) {
  console.error(`✖ the deployed Worker contains test or benchmark code:\n  ${leaked.join("\n  ")}`);
  failed = true;
}
if (gzip > BUDGET_GZIP_BYTES) {
  console.error(`✖ the deployed Worker is ${kib(gzip)} gzipped, over its budget of ${kib(BUDGET_GZIP_BYTES)} (scripts/bundle.mjs)`);
  failed = true;
}
if (failed) process.exit(1);
console.log(`✔ no test or benchmark code among its ${shipped.length} project sources`);
