// Browser tests: real Chromium against a throwaway `wrangler dev` (own port, own state,
// own secrets), driven by vitest with test/e2e/vitest.config.ts. Never skips: a missing
// browser is installed (as root) or reported, and the script exits non-zero. Arguments are
// vitest's file filters: `node scripts/e2e.mjs recovery` runs test/e2e/recovery.test.ts only.
import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { SPA_BUILD, bin, newStatementKeys, offlineEnv, root, run, spaBuild, start, waitFor } from "./lib.mjs";
import { seed } from "./seed.mjs";

// Chromium's headless shell (Debian's chromium-headless-shell, what Playwright runs headless by
// default): the same engine without the full browser around it; the suite costs about a
// quarter less CPU than under the full browser's --headless.
const PACKAGE = "chromium-headless-shell";
const CHROMIUM = `/usr/bin/${PACKAGE}`;
// Tools get the Node 22 of node_modules/.bin even when this script is started outside npm.
const env = { ...offlineEnv, PATH: `${join(root, "node_modules", ".bin")}:${offlineEnv.PATH ?? ""}` };
const RESULTS = join(root, "test-results");
/** Shared with the tests (E2E_FAIL_TRIGGER), which pick the one library pose it matches. */
const FAIL_TRIGGER = "showtime";

function fail(message) {
  console.error(`✖ e2e: ${message}`);
  process.exit(1);
}

function ensureChromium() {
  if (existsSync(CHROMIUM)) return;
  if (process.getuid?.() !== 0) {
    fail(`${CHROMIUM} is missing and this user cannot install it. Run as root: apt-get update && apt-get install -y ${PACKAGE}`);
  }
  console.log(`\n▶ ${CHROMIUM} is missing: apt-get update && apt-get install -y ${PACKAGE}`);
  const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
  for (const args of [["update"], ["install", "-y", "--no-install-recommends", PACKAGE]]) {
    const result = spawnSync("apt-get", args, { stdio: "inherit", env });
    if (result.status !== 0) fail(`apt-get ${args.join(" ")} failed (exit ${result.status ?? result.error?.message}); ${CHROMIUM} is still missing`);
  }
  if (!existsSync(CHROMIUM)) fail(`apt-get installed ${PACKAGE} but ${CHROMIUM} does not exist`);
}

/** `npm test` has just built the SPA; a standalone run builds it only when its sources changed. */
function ensureSpaBuilt() {
  const spa = spaBuild();
  if (spa.current) return;
  run("vite", SPA_BUILD, { env });
  spa.stamp();
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

ensureChromium();
run("tsc", ["--noEmit", "-p", "test/e2e/tsconfig.json"], { env });
ensureSpaBuilt();

const state = mkdtempSync(join(tmpdir(), "lumiku-e2e-"));
// Whatever ends this script (a failed step exits through run()), the throwaway state goes.
process.on("exit", () => rmSync(state, { recursive: true, force: true }));
const key = () => randomBytes(48).toString("base64url");
const envFile = join(state, "e2e.env");
// Only names declared in wrangler.toml ([vars], [secrets]) are read from this file.
writeFileSync(
  envFile,
  [
    `JWT_KEYS=e2e-1:${key()}`,
    `FILE_URL_SECRET=${key()}`,
    `STATEMENT_KEYS=${newStatementKeys("e2e-statement-1")}`,
    "AUTH_RATE_LIMIT_PER_IP=100000",
    "AUTH_RATE_LIMIT_PER_EMAIL=1000",
    // The offline payment sandbox (the test environment's gateway) signs its callbacks with these.
    "DUITKU_MERCHANT_CODE=DE2E01",
    `DUITKU_API_KEY=${key()}`,
    "",
  ].join("\n"),
);

run("wrangler", ["d1", "migrations", "apply", "DB", "--local", "--persist-to", state], { quiet: true, env });
console.log("✔ D1 migrations applied to a throwaway state directory");
// The demo accounts, as `npm run seed` makes them locally; the admin signs in to the console.
const adminPassword = key();
await seed({ DEMO_ADMIN_PASSWORD: adminPassword, DEMO_USER_PASSWORD: key() }, { persistTo: state, env });

const [port, inspectorPort] = [await freePort(), await freePort()];
const origin = `http://127.0.0.1:${port}`;
mkdirSync(RESULTS, { recursive: true });
const logPath = join(RESULTS, "e2e-wrangler.log");
const log = openSync(logPath, "w");
const server = start(
  "wrangler",
  [
    "dev",
    // The product plus the test-pipeline app and the bench routes (the deployed Worker has neither).
    "test/support/worker.ts",
    "--ip",
    "127.0.0.1",
    "--port",
    String(port),
    "--inspector-port",
    String(inspectorPort),
    "--persist-to",
    state,
    "--env-file",
    envFile,
    // The test environment (wrangler.toml declares production) allows the test-only settings
    // the config refuses in production: cheap password hashing keeps sign-ups fast; the
    // offline image provider fails any item whose prompt contains the trigger. Gallery
    // prompts are "<pose name>: <tags>", and "showtime" is a tag of one pose only (Jazz Hands).
    "--var",
    "ENVIRONMENT:test",
    "--var",
    "PASSWORD_SCRYPT_LOG_N:10",
    "--var",
    `PROCEDURAL_FAIL_TRIGGER:${FAIL_TRIGGER}`,
    "--show-interactive-dev-session=false",
  ],
  { stdio: ["ignore", log, log], env: { ...env, CI: "1" } },
);

let stopped = false;
function stopServer() {
  if (stopped) return;
  stopped = true;
  server.stop();
  closeSync(log);
}
process.on("exit", stopServer);
for (const signal of ["SIGINT", "SIGTERM"]) {
  process.on(signal, () => {
    stopServer();
    process.exit(130);
  });
}
const early = new Promise((resolve) => server.child.once("exit", (code) => resolve(code)));

try {
  const up = await Promise.race([waitFor(`${origin}/health`, 90_000).then(() => "up"), early.then((code) => `exited (${code})`)]);
  if (up !== "up") throw new Error(`wrangler dev ${up} before answering`);
} catch (e) {
  stopServer();
  console.error(readFileSync(logPath, "utf8").split("\n").slice(-40).join("\n"));
  fail(`the server did not start: ${e.message} (full log: ${logPath})`);
}
console.log(`✔ wrangler dev is up at ${origin} (log: test-results/e2e-wrangler.log)`);

const vitestArgs = ["run", "--config", "test/e2e/vitest.config.ts", ...process.argv.slice(2)];
console.log(`\n▶ vitest ${vitestArgs.join(" ")}`);
const tests = spawnSync(bin("vitest"), vitestArgs, {
  cwd: root,
  stdio: "inherit",
  env: {
    ...env,
    E2E_BASE_URL: origin,
    E2E_CHROMIUM: CHROMIUM,
    E2E_SCREENSHOTS: join(RESULTS, "screenshots"),
    E2E_FAIL_TRIGGER: FAIL_TRIGGER,
    E2E_ADMIN_EMAIL: "admin@lumiku.local",
    E2E_ADMIN_PASSWORD: adminPassword,
  },
});
stopServer();
// Let wrangler and workerd go before their state directory is removed on exit.
await Promise.race([early, new Promise((resolve) => setTimeout(resolve, 5_000))]);

if (tests.status !== 0) {
  console.error(`\n✖ e2e: browser tests failed (exit ${tests.status ?? tests.signal}); server log: ${logPath}`);
  process.exit(tests.status || 1);
}
console.log("\n✔ e2e: all browser tests passed; screenshots in test-results/screenshots/");
