// Our stack: the real Worker under one offline `wrangler dev`, with throwaway state,
// generated secrets and the bench routes switched on.
import { spawnSync } from "node:child_process";
import { randomBytes, randomUUID } from "node:crypto";
import { cpSync, mkdirSync, symlinkSync, writeFileSync } from "node:fs";
import { delimiter, dirname, join } from "node:path";
import { bin, newStatementKeys, offlineEnv, root } from "../../scripts/lib.mjs";
import { httpClient } from "./load.mjs";
import { freePort, startProcess, tempDir, waitUntil } from "../lib/procs.mjs";

export const SIGNUP_CREDITS = 100;

/** wrangler's `#!/usr/bin/env node` must find this Node (≥ 22), not an older system one. */
const env = { ...offlineEnv, PATH: [dirname(process.execPath), dirname(bin("wrangler")), process.env.PATH].join(delimiter) };

/**
 * Copies what the Worker build needs into `dir`. `wrangler dev` rebuilds and restarts the
 * Worker whenever a watched source file changes (it has no flag to stop watching), and other
 * engineers edit worker/ while a run is going: the benchmark measures the tree as it was
 * when the run started, not a mix of versions.
 */
export function snapshotProject(dir) {
  mkdirSync(dir, { recursive: true });
  for (const entry of ["wrangler.toml", "package.json", "tsconfig.json", "worker", "migrations"]) {
    cpSync(join(root, entry), join(dir, entry), { recursive: true });
  }
  symlinkSync(join(root, "node_modules"), join(dir, "node_modules"), "dir");
  return dir;
}

/** Starts the Worker; resolves `{ origin, stop }` once GET /health answers. */
export async function startOurStack() {
  const dir = tempDir("lumiku-bench-ours-");
  const project = snapshotProject(join(dir, "project"));
  const config = join(project, "wrangler.toml");
  const persist = join(dir, "state");
  const assets = join(dir, "assets");
  mkdirSync(assets);
  const envFile = join(dir, "bench.env");
  const key = () => randomBytes(48).toString("base64url");
  writeFileSync(envFile, `JWT_KEYS=bench-1:${key()}\nFILE_URL_SECRET=${key()}\nSTATEMENT_KEYS=${newStatementKeys("bench-statement-1")}\n`, { mode: 0o600 });

  const migrate = spawnSync(bin("wrangler"), ["d1", "migrations", "apply", "DB", "--local", "--persist-to", persist, "--config", config], {
    cwd: project,
    env,
    encoding: "utf8",
    timeout: 120_000,
  });
  if (migrate.status !== 0) {
    throw new Error(`wrangler d1 migrations apply failed (exit ${migrate.status ?? migrate.signal}):\n${migrate.stdout}\n${migrate.stderr}`);
  }

  const port = await freePort();
  const inspectorPort = await freePort();
  const origin = `http://127.0.0.1:${port}`;
  const proc = startProcess(
    bin("wrangler"),
    [
      "dev",
      // The benchmarks' Worker: the product plus the /api/bench routes.
      "bench/support/worker.ts",
      "--config",
      config,
      "--ip",
      "127.0.0.1",
      "--port",
      String(port),
      "--inspector-port",
      String(inspectorPort),
      "--log-level",
      "warn",
      "--persist-to",
      persist,
      "--env-file",
      envFile,
      // An empty assets dir: the SPA build is not needed, and /health and /api/* reach the Worker first anyway.
      "--assets",
      assets,
      "--show-interactive-dev-session=false",
      // The cheap scrypt below is refused in production, wrangler.toml's default.
      "--var",
      "ENVIRONMENT:test",
      // The per-user generation rate limit (500 items/h in wrangler.toml) would stop a throughput run after 500 charges.
      "--var",
      "GENERATION_ITEMS_PER_HOUR:1000000",
      // Registration is not measured; a cheaper scrypt keeps setup short (allowed outside production).
      "--var",
      "PASSWORD_SCRYPT_LOG_N:10",
    ],
    { cwd: project, env, logFile: join(dir, "wrangler.log") },
  );
  const probe = httpClient(origin, 1);
  try {
    await waitUntil("wrangler dev", async () => (await probe.request("GET", "/health")).status === 200, { proc, failOn: /Build failed|✘/, timeoutMs: 120_000, everyMs: 300 });
  } catch (e) {
    await proc.stop();
    throw e;
  } finally {
    probe.close();
  }
  return { origin, proc, stop: () => proc.stop() };
}

/** Registers a fresh user and tops the balance up to exactly `balance`; returns its token. */
export async function hotUser(client, balance) {
  const email = `bench-${randomUUID()}@bench.local`;
  const reg = await client.request("POST", "/api/auth/register", { json: { email, password: randomBytes(18).toString("base64url"), name: "Bench" } });
  if (reg.status !== 201) throw new Error(`register: HTTP ${reg.status} ${JSON.stringify(reg.body)}`);
  const token = reg.body.accessToken;
  const topUp = balance - SIGNUP_CREDITS;
  if (topUp < 0) throw new Error(`a start balance below the ${SIGNUP_CREDITS} signup credits is not supported`);
  if (topUp > 0) {
    const grant = await client.request("POST", "/api/bench/grant", { token, json: { amount: topUp, key: `bench-topup-${randomUUID()}` } });
    if (grant.status !== 200) throw new Error(`grant: HTTP ${grant.status} ${JSON.stringify(grant.body)}`);
  }
  const start = await balanceOf(client, token);
  if (start.balance !== balance || start.held !== 0) throw new Error(`start balance is ${JSON.stringify(start)}, wanted ${balance}`);
  return token;
}

export async function balanceOf(client, token) {
  const res = await client.request("GET", "/api/credits/balance", { token });
  if (res.status !== 200) throw new Error(`balance: HTTP ${res.status} ${JSON.stringify(res.body)}`);
  return { balance: res.body.balance, held: res.body.held };
}

export const chargeRequest = (client, token) => () => client.request("POST", "/api/bench/charge", { token, json: { amount: 1 } });
export const healthRequest = (client) => () => client.request("GET", "/health");
