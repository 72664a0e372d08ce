// Shared by the dev, test and benchmark scripts: run tools from node_modules/.bin and
// keep wrangler offline.
import { spawn, spawnSync } from "node:child_process";
import { appendFileSync, existsSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from "node:fs";
import { createHash, generateKeyPairSync, randomBytes } from "node:crypto";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";

export const root = join(dirname(fileURLToPath(import.meta.url)), "..");
export const bin = (name) => join(root, "node_modules", ".bin", name);

export const offlineEnv = {
  ...process.env,
  WRANGLER_SEND_METRICS: "false",
  WRANGLER_SEND_ERROR_REPORTS: "false",
  CLOUDFLARE_CF_FETCH_ENABLED: "false",
  NO_UPDATE_NOTIFIER: "1",
};

/** Runs a tool to completion, streaming its output; exits the script on failure. */
export function run(tool, args, { quiet = false, env = offlineEnv } = {}) {
  const label = [tool, ...args].join(" ");
  if (!quiet) console.log(`\n▶ ${label}`);
  const result = spawnSync(bin(tool), args, { cwd: root, stdio: quiet ? "pipe" : "inherit", env });
  if (result.status !== 0) {
    if (quiet) process.stderr.write(`${result.stdout?.toString() ?? ""}${result.stderr?.toString() ?? ""}`);
    console.error(`✖ ${label} failed (exit ${result.status ?? result.signal})`);
    process.exit(result.status ?? 1);
  }
  return result;
}

/** Runs a tool with its output held, so steps running at once never interleave; never exits. */
function runHeld(tool, args, env) {
  const started = Date.now();
  return new Promise((resolve) => {
    const child = spawn(bin(tool), args, { cwd: root, stdio: ["ignore", "pipe", "pipe"], env });
    const chunks = [];
    child.stdout.on("data", (c) => chunks.push(c));
    child.stderr.on("data", (c) => chunks.push(c));
    child.on("error", (e) => chunks.push(Buffer.from(`${e.message}\n`)));
    child.on("close", (code, signal) => resolve({ ok: code === 0, status: code ?? signal, output: Buffer.concat(chunks).toString(), seconds: (Date.now() - started) / 1000 }));
  });
}

/**
 * Runs independent chains of steps at the same time (the steps of one chain in order, a chain
 * stopping at its first failure) and prints each step's output as one block when it ends. A step
 * is `{ tool, args, quiet?, env?, onSuccess? }`; `onSuccess` runs after it succeeds. Exits once every chain
 * has ended if any step failed, naming each.
 */
export async function runConcurrently(chains) {
  const failed = [];
  await Promise.all(
    chains.map(async (chain) => {
      for (const { tool, args, quiet = false, env = offlineEnv, onSuccess } of chain) {
        const label = [tool, ...args].join(" ");
        const result = await runHeld(tool, args, env);
        if (!quiet || !result.ok) process.stdout.write(`\n▶ ${label}\n${result.output}`);
        if (!result.ok) {
          console.error(`✖ ${label} failed (exit ${result.status})`);
          failed.push(label);
          return;
        }
        console.log(`✔ ${label} (${result.seconds.toFixed(1)} s)`);
        onSuccess?.();
      }
    }),
  );
  if (failed.length > 0) {
    console.error(`\n✖ ${failed.length} step(s) failed: ${failed.join("; ")}`);
    process.exit(1);
  }
}

/** What the SPA build reads: its sources, its config and the locked dependency versions. */
const SPA_INPUTS = ["web/index.html", "web/public", "web/src", "web/tsconfig.json", "web/vite.config.ts", "package-lock.json"];
const SPA_STAMP = join(root, "node_modules", ".cache", "lumiku-spa-build.sha256");
export const SPA_BUILD = ["build", "--config", "web/vite.config.ts", "--logLevel", "warn"];

const filesUnder = (path) =>
  statSync(path).isDirectory()
    ? readdirSync(path)
        .sort()
        .flatMap((name) => filesUnder(join(path, name)))
    : [path];

function spaSourceHash() {
  const hash = createHash("sha256");
  for (const file of SPA_INPUTS.flatMap((p) => (existsSync(join(root, p)) ? filesUnder(join(root, p)) : []))) {
    hash
      .update(`${relative(root, file)}\0`)
      .update(readFileSync(file))
      .update("\0");
  }
  return hash.digest("hex");
}

/**
 * Whether web/dist holds a build of exactly the current sources: the hash of SPA_INPUTS equals
 * the one stamped after the last build through here, and no other build has replaced it since
 * (index.html is not newer than the stamp). `stamp()` records a build of these sources.
 */
export function spaBuild() {
  const hash = spaSourceHash();
  const index = join(root, "web", "dist", "index.html");
  const current = existsSync(index) && existsSync(SPA_STAMP) && readFileSync(SPA_STAMP, "utf8") === hash && statSync(index).mtimeMs <= statSync(SPA_STAMP).mtimeMs;
  const stamp = () => {
    mkdirSync(dirname(SPA_STAMP), { recursive: true });
    writeFileSync(SPA_STAMP, hash);
  };
  return { current, stamp };
}

/** Starts a long-running tool in its own process group, so stopping it stops its children (workerd). */
export function start(tool, args, { env = offlineEnv, stdio = "inherit" } = {}) {
  const child = spawn(bin(tool), args, { cwd: root, stdio, env, detached: true });
  const stop = () => {
    try {
      process.kill(-child.pid, "SIGTERM");
    } catch {
      // already gone
    }
  };
  return { child, stop };
}

/** A fresh Ed25519 signing key for ledger statements, as STATEMENT_KEYS wants it (a JSON array of private JWKs). */
export function newStatementKeys(kid) {
  const { privateKey } = generateKeyPairSync("ed25519");
  return JSON.stringify([{ ...privateKey.export({ format: "jwk" }), kid }]);
}

const DEV_VARS = join(root, ".dev.vars");

const parseVars = (text) =>
  Object.fromEntries(
    text
      .split("\n")
      .filter((l) => l && !l.startsWith("#") && l.includes("="))
      .map((l) => [l.slice(0, l.indexOf("=")), l.slice(l.indexOf("=") + 1)]),
  );

/** Settings a local .dev.vars must have, each with how to make its value when it is missing. */
const DEV_DEFAULTS = {
  ENVIRONMENT: () => "development",
  STATEMENT_KEYS: () => newStatementKeys("dev-statement-1"),
  // The offline payment sandbox signs and checks its callbacks with these, as Duitku's would.
  DUITKU_MERCHANT_CODE: () => "DSANDBOX",
  DUITKU_API_KEY: () => `sandbox-${randomBytes(24).toString("hex")}`,
};

/**
 * Local settings and secrets: written once with development, fresh random keys and the
 * documented demo passwords. A file written by an older checkout gets what it lacks
 * (DEV_DEFAULTS) appended; a value someone set there is kept.
 */
export function ensureDevVars() {
  if (!existsSync(DEV_VARS)) {
    const key = () => randomBytes(48).toString("base64url");
    writeFileSync(
      DEV_VARS,
      [
        "# Local development only. Never used in production (use `wrangler secret put`).",
        `JWT_KEYS=dev-1:${key()}`,
        `FILE_URL_SECRET=${key()}`,
        "DEMO_ADMIN_PASSWORD=lumiku-admin-demo",
        "DEMO_USER_PASSWORD=lumiku-demo-user",
        "",
      ].join("\n"),
    );
    console.log("Wrote .dev.vars with new local secrets and the default demo passwords.");
  }
  const text = readFileSync(DEV_VARS, "utf8");
  const missing = Object.entries(DEV_DEFAULTS).filter(([name]) => !(name in parseVars(text)));
  if (missing.length > 0) {
    appendFileSync(DEV_VARS, `${text === "" || text.endsWith("\n") ? "" : "\n"}${missing.map(([name, make]) => `${name}=${make()}`).join("\n")}\n`);
    console.log(`Added ${missing.map(([name]) => name).join(", ")} to .dev.vars (ENVIRONMENT=development: wrangler.toml declares production).`);
  }
  return parseVars(readFileSync(DEV_VARS, "utf8"));
}

/** Polls a URL until it answers 200 or the time runs out. */
export async function waitFor(url, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      const res = await fetch(url);
      if (res.ok) return;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${url} did not come up within ${timeoutMs} ms`);
}
