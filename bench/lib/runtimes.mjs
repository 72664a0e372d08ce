// The bench Worker under one of two local runtimes, with throwaway state and secrets:
//   wrangler   `wrangler dev` (bench/pipeline/server.mjs): a dev-proxy workerd in front of the
//              Worker's workerd, an inspector, every console line forwarded to wrangler's Node;
//   miniflare  Miniflare's API on the same bundle: one workerd, no proxy, no inspector, logs dropped.
// Both persist D1, R2 and the Durable Objects on disk, as wrangler dev does; both report the CPU
// the runtime's own processes used (/proc schedstat, summed over threads).
import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdirSync, readdirSync, readFileSync } from "node:fs";
import { delimiter, dirname, extname, join } from "node:path";
import { Miniflare, convertV4MiniflareOptions } from "miniflare";
import { unstable_getMiniflareWorkerOptions } from "wrangler";
import { bin, newStatementKeys, offlineEnv, root } from "../../scripts/lib.mjs";
import { startWorker } from "../pipeline/server.mjs";
import { freePort, tempDir } from "./procs.mjs";
import { workerdChildren } from "./measure.mjs";

export const RUNTIMES = ["wrangler", "miniflare"];

/** Settings every hot-path benchmark runs with (ENVIRONMENT=test allows the cheap scrypt). */
export const BENCH_VARS = {
  ENVIRONMENT: "test",
  QUEUE_RETRY_BASE_SECONDS: "0",
  GENERATION_ITEMS_PER_HOUR: "1000000",
  AUTH_RATE_LIMIT_PER_IP: "100000",
  AUTH_RATE_LIMIT_PER_EMAIL: "100000",
  ACCESS_TOKEN_TTL_SECONDS: "3600",
  PASSWORD_SCRYPT_LOG_N: "10",
};

/** The benchmarks' Worker entries (absolute paths): the product plus /api/bench, and the same with its calls counted. */
export const ENTRY = {
  plain: join(root, "bench/support/worker.ts"),
  counted: join(root, "bench/support/counted.ts"),
};

const toolEnv = { ...offlineEnv, PATH: [dirname(process.execPath), dirname(bin("wrangler")), process.env.PATH].join(delimiter) };

function wrangler(args, what) {
  const result = spawnSync(bin("wrangler"), args, { cwd: root, env: toolEnv, encoding: "utf8", timeout: 180_000 });
  if (result.status !== 0) throw new Error(`${what} failed (exit ${result.status ?? result.signal}):\n${result.stdout}\n${result.stderr}`);
}

/** User + system CPU ms and run-queue wait ms of one process, summed over its threads. */
export function processCpu(pid) {
  const acc = { cpu: 0, wait: 0 };
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    try {
      const [run, wait] = readFileSync(`/proc/${pid}/task/${tid}/schedstat`, "utf8").split(" ").map(Number);
      acc.cpu += run / 1e6;
      acc.wait += wait / 1e6;
    } catch {
      // thread gone
    }
  }
  return acc;
}

const MODULE_TYPE = { ".js": "ESModule", ".mjs": "ESModule", ".wasm": "CompiledWasm" };

async function startMiniflare({ main, vars, progress }) {
  const dir = tempDir("lumiku-bench-mf-");
  const assets = join(dir, "assets");
  const build = join(dir, "build");
  const persist = join(dir, "state");
  mkdirSync(assets);
  progress("miniflare: bundling a snapshot of the Worker (wrangler deploy --dry-run)");
  wrangler(["deploy", main, "--dry-run", "--outdir", build, "--assets", assets], "wrangler deploy --dry-run");
  progress("miniflare: applying D1 migrations");
  wrangler(["d1", "migrations", "apply", "DB", "--local", "--persist-to", persist], "wrangler d1 migrations apply");

  const { workerOptions } = unstable_getMiniflareWorkerOptions(join(root, "wrangler.toml"));
  // Neither the assets router in front of the Worker nor the cron is wanted here.
  const { assets: _assets, cronTriggers: _crons, modulesRules: _rules, ...options } = workerOptions;
  const modules = readdirSync(build, { recursive: true })
    .filter((f) => !f.endsWith(".map") && !f.endsWith("README.md"))
    .map((f) => ({ type: MODULE_TYPE[extname(f)] ?? "Data", path: join(build, f) }))
    .sort((a, b) => (a.type === "ESModule" ? 0 : 1) - (b.type === "ESModule" ? 0 : 1));
  const key = () => randomBytes(48).toString("base64url");
  const port = await freePort();
  progress(`miniflare: starting workerd on 127.0.0.1:${port}`);
  // Options in the shape wrangler hands over (unstable_getMiniflareWorkerOptions), converted the way wrangler does.
  const mf = new Miniflare(
    convertV4MiniflareOptions({
      host: "127.0.0.1",
      port,
      logRequests: false,
      // Logs off (BENCH_RUNTIME_LOGS=1 shows them, for diagnosis).
      handleStructuredLogs: process.env.BENCH_RUNTIME_LOGS === "1" ? ({ level, message }) => process.stderr.write(`[workerd ${level}] ${message}\n`) : () => {},
      // The layout `wrangler d1 migrations apply --persist-to` wrote the schema into.
      resourcePersistencePath: join(persist, "v3"),
      workers: [
        {
          name: "lumiku-bench",
          ...options,
          modules,
          modulesRoot: build,
          bindings: { ...options.bindings, ...vars, JWT_KEYS: `bench-1:${key()}`, FILE_URL_SECRET: key(), STATEMENT_KEYS: newStatementKeys("bench-statement-1") },
        },
      ],
    }),
  );
  const url = await mf.ready;
  const [pid] = workerdChildren(process.pid);
  if (pid === undefined) throw new Error("miniflare: its workerd process was not found");
  const cpu = () => {
    const worker = processCpu(pid);
    return { worker, all: worker, roles: { workerd: worker } };
  };
  return { kind: "miniflare", origin: url.origin, cpu, stop: () => mf.dispose() };
}

async function startWrangler({ main, vars, progress }) {
  const server = await startWorker({ vars, main, progress: (m) => progress(`wrangler: ${m}`) });
  const cpu = () => {
    const roles = server.cpu();
    const all = Object.values(roles).reduce((a, r) => ({ cpu: a.cpu + r.cpu, wait: a.wait + r.wait }), { cpu: 0, wait: 0 });
    return { worker: roles["workerd: Worker"] ?? { cpu: 0, wait: 0 }, all, roles };
  };
  return { kind: "wrangler", origin: server.origin, cpu, stop: server.stop };
}

/** Starts the bench Worker (`entry`: ENTRY.plain or ENTRY.counted) under `kind`; resolves `{ kind, origin, cpu, stop }`. */
export function startRuntime(kind, { entry = ENTRY.plain, vars = {}, progress = () => {} } = {}) {
  const all = { ...BENCH_VARS, ...vars };
  if (kind === "miniflare") return startMiniflare({ main: entry, vars: all, progress });
  if (kind === "wrangler") return startWrangler({ main: entry, vars: all, progress });
  throw new Error(`unknown runtime ${kind} (one of ${RUNTIMES.join(", ")})`);
}

/** CPU used between two `cpu()` readings. */
export const cpuSince = (before, after) => ({
  worker: after.worker.cpu - before.worker.cpu,
  all: after.all.cpu - before.all.cpu,
  wait: after.worker.wait - before.worker.wait,
});
