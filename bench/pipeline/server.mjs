// The Worker under one offline `wrangler dev` with throwaway state and secrets; bench/lib
// stops everything it starts (its own process group) and removes its temp dirs.
import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { delimiter, dirname, join } from "node:path";
import { bin, newStatementKeys, offlineEnv, root } from "../../scripts/lib.mjs";
import { freePort, startProcess, tempDir, waitUntil } from "../lib/procs.mjs";

/** wrangler's `#!/usr/bin/env node` must find this Node (≥ 22), not the older system one. */
const env = { ...offlineEnv, PATH: [dirname(process.execPath), dirname(bin("wrangler")), process.env.PATH].join(delimiter) };

/**
 * CPU time and run-queue wait (ms, summed over threads, from /proc/<pid>/task/<tid>/schedstat)
 * of every live process in process group `pgid`, by role: wrangler's own Node process, the
 * workerd that runs the Worker (it has an inspector) and the workerd of wrangler's proxy in
 * front of it (it owns the public port). Run-queue wait is time runnable but not running:
 * on a busy machine, the time other work took from us.
 */
export function groupCpu(pgid) {
  const out = {};
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      if (Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[2]) !== pgid) continue; // pgrp
      const cmdline = readFileSync(`/proc/${entry}/cmdline`, "utf8").replace(/\0/g, " ");
      const role = !cmdline.includes("workerd") ? "wrangler (node)" : cmdline.includes("--inspector-addr") ? "workerd: Worker" : "workerd: dev proxy";
      out[role] ??= { cpu: 0, wait: 0 };
      const acc = out[role];
      for (const tid of readdirSync(`/proc/${entry}/task`)) {
        try {
          const [run, wait] = readFileSync(`/proc/${entry}/task/${tid}/schedstat`, "utf8").split(" ").map(Number);
          acc.cpu += run / 1e6;
          acc.wait += wait / 1e6;
        } catch {
          // thread gone
        }
      }
    } catch {
      // process gone
    }
  }
  return out;
}

/** This process's CPU and run-queue wait (ms), the same way. */
export function selfCpu() {
  const acc = { cpu: 0, wait: 0 };
  for (const tid of readdirSync("/proc/self/task")) {
    try {
      const [run, wait] = readFileSync(`/proc/self/task/${tid}/schedstat`, "utf8").split(" ").map(Number);
      acc.cpu += run / 1e6;
      acc.wait += wait / 1e6;
    } catch {
      // thread gone
    }
  }
  return acc;
}

/** The benchmarks' Worker: the product plus the /api/bench routes and the test-pipeline app. */
const BENCH_MAIN = "bench/support/worker.ts";

/**
 * wrangler.toml with `main` replaced, the queue consumer's knobs overridden (for
 * experiments, e.g. `max_batch_size=100,max_batch_timeout=0`) and every relative path
 * made absolute; `prebuilt` serves an already bundled Worker as is (no_bundle).
 */
function derivedConfig(path, { main, assets, overrides = {}, prebuilt = false }) {
  let text = readFileSync(join(root, "wrangler.toml"), "utf8");
  text = text.replace(/^main = "(.+)"$/m, (_, _p) => `main = ${JSON.stringify(main ?? join(root, BENCH_MAIN))}${prebuilt ? "\nno_bundle = true" : ""}`);
  text = text.replace(/^migrations_dir = "(.+)"$/m, (_, p) => `migrations_dir = ${JSON.stringify(join(root, p))}`);
  text = text.replace(/^directory = "(.+)"$/m, () => `directory = ${JSON.stringify(assets)}`);
  // Only the first consumer block (the generation queue), not the dead-letter one.
  const start = text.indexOf("[[queues.consumers]]");
  const end = text.indexOf("[[queues.consumers]]", start + 1);
  let block = text.slice(start, end);
  for (const [key, value] of Object.entries(overrides)) {
    if (!/^(max_batch_size|max_batch_timeout|max_concurrency)$/.test(key) || !/^\d+$/.test(value)) throw new Error(`unsupported queue override ${key}=${value}`);
    const line = new RegExp(`^${key} = .*$`, "m");
    block = line.test(block) ? block.replace(line, `${key} = ${value}`) : block.replace("[[queues.consumers]]\n", `[[queues.consumers]]\n${key} = ${value}\n`);
  }
  text = text.slice(0, start) + block + text.slice(end);
  writeFileSync(path, text);
  return path;
}

function runTool(args, what) {
  const result = spawnSync(bin("wrangler"), args, { cwd: root, env, encoding: "utf8", timeout: 180_000 });
  if (result.status !== 0) throw new Error(`${what} failed (exit ${result.status ?? result.signal}):\n${result.stdout}\n${result.stderr}`);
}

/**
 * Applies the D1 migrations into a fresh --persist-to dir, starts `wrangler dev` on a free
 * loopback port and resolves `{ origin, logFile, stop }` once GET /health answers.
 */
export async function startWorker({ vars, queueOverrides = {}, main, logLevel = "warn", progress = () => {} }) {
  const dir = tempDir("lumiku-bench-pipeline-");
  const persist = join(dir, "state");
  const assets = join(dir, "assets"); // empty: the SPA build is not needed, /api/* reaches the Worker first
  mkdirSync(assets);
  const key = () => randomBytes(48).toString("base64url");
  const envFile = join(dir, "bench.env");
  writeFileSync(envFile, `JWT_KEYS=bench-1:${key()}\nFILE_URL_SECRET=${key()}\nSTATEMENT_KEYS=${newStatementKeys("bench-statement-1")}\n`, { mode: 0o600 });
  // Bundle once and serve that snapshot: `wrangler dev` would otherwise rebuild and restart
  // the Worker (dropping every socket) whenever someone edits worker/ during the run.
  progress("bundling a snapshot of the Worker (wrangler deploy --dry-run)");
  const build = join(dir, "build");
  runTool(["deploy", "--dry-run", "--outdir", build, "--config", derivedConfig(join(dir, "build.toml"), { main, assets, overrides: queueOverrides })], "wrangler deploy --dry-run");
  const configArgs = [
    "--config",
    derivedConfig(join(dir, "wrangler.toml"), {
      main: join(
        build,
        readdirSync(build).find((f) => /\.m?js$/.test(f)),
      ),
      assets,
      overrides: queueOverrides,
      prebuilt: true,
    }),
  ];

  progress("applying D1 migrations into a throwaway --persist-to dir");
  runTool(["d1", "migrations", "apply", "DB", "--local", "--persist-to", persist, ...configArgs], "wrangler d1 migrations apply");

  const port = await freePort();
  const inspectorPort = await freePort();
  const origin = `http://127.0.0.1:${port}`;
  const logFile = join(dir, "wrangler.log");
  const args = [
    "dev",
    ...configArgs,
    "--ip",
    "127.0.0.1",
    "--port",
    String(port),
    "--inspector-port",
    String(inspectorPort),
    "--log-level",
    logLevel,
    "--persist-to",
    persist,
    "--env-file",
    envFile,
    "--assets",
    assets,
    "--show-interactive-dev-session=false",
    ...Object.entries(vars).flatMap(([k, v]) => ["--var", `${k}:${v}`]),
  ];
  progress(`starting wrangler dev on ${origin}`);
  const proc = startProcess(bin("wrangler"), args, { cwd: root, env, logFile });
  await waitUntil("wrangler dev", async () => (await fetch(`${origin}/health`, { signal: AbortSignal.timeout(2000) })).ok, {
    proc,
    failOn: /Build failed|✘ \[ERROR\]/,
    timeoutMs: 180_000,
    everyMs: 300,
  });
  return { origin, logFile, stop: () => proc.stop(), tail: (n) => proc.tail(n), cpu: () => groupCpu(proc.child.pid) };
}
