// Shared by the dev, test and benchmark scripts: run tools from node_modules/.bin and
// keep wrangler offline.
import { spawn, spawnSync } from "node:child_process";
import { appendFileSync, existsSync, readFileSync, writeFileSync } from "node:fs";
import { generateKeyPairSync, randomBytes } from "node:crypto";
import { dirname, join } from "node:path";
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
