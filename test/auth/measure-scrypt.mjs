// Cost of one production password hash (scrypt N=2^14, r=8, p=5) in Node and in workerd.
// Not part of the suite. From /work/main: `npx node test/auth/measure-scrypt.mjs [hashes]`
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";

const HASHES = Number(process.argv[2] ?? 10);
const N = 2 ** 14,
  r = 8,
  p = 5;
const PORT = 18799;
const fmt = (ms) => `${ms.toFixed(0)} ms`;
const HASH_FN = `(pw) => new Promise((ok, fail) => scrypt(pw, "0123456789abcdef", 32, { N: ${N}, r: ${r}, p: ${p}, maxmem: ${256 * N * r} }, (e, k) => (e ? fail(e) : ok(k))))`;

/** CPU time (utime + stime, ms) and peak RSS (MiB) of a process, from /proc. */
function procStats(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ");
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  return { cpuMs: ((Number(stat[11]) + Number(stat[12])) * 1000) / 100, peakMiB: Number(/VmHWM:\s+(\d+)/.exec(status)[1]) / 1024 };
}

async function node() {
  // biome-ignore lint/security/noGlobalEval: the same source text is the function measured in workerd; this is its Node twin
  const hash = eval(HASH_FN);
  await hash("warm-up");
  const peakBefore = procStats(process.pid).peakMiB;
  const before = procStats(process.pid);
  const started = performance.now();
  for (let i = 0; i < HASHES; i++) await hash(`password ${i}`);
  const wall = (performance.now() - started) / HASHES;
  const after = procStats(process.pid);
  console.log(
    `node ${process.version}: ${fmt(wall)} wall, ${fmt((after.cpuMs - before.cpuMs) / HASHES)} CPU per hash; peak RSS ${after.peakMiB.toFixed(0)} MiB (${peakBefore.toFixed(0)} after warm-up)`,
  );
}

async function workerd() {
  const dir = mkdtempSync(join(tmpdir(), "measure-scrypt-"));
  writeFileSync(
    join(dir, "worker.mjs"),
    `import { scrypt } from "node:crypto";
const hash = ${HASH_FN};
export default { async fetch(req) { const n = Number(new URL(req.url).searchParams.get("n")); for (let i = 0; i < n; i++) await hash("password " + i); return new Response("ok"); } };`,
  );
  writeFileSync(
    join(dir, "config.capnp"),
    `using Workerd = import "/workerd/workerd.capnp";
const config :Workerd.Config = (
  services = [(name = "main", worker = (modules = [(name = "worker", esModule = embed "worker.mjs")], compatibilityDate = "2026-10-20"))],
  sockets = [(name = "http", address = "127.0.0.1:${PORT}", http = (), service = "main")],
);`,
  );
  const child = spawn(join(process.cwd(), "node_modules/.bin/workerd"), ["serve", join(dir, "config.capnp")], { stdio: "inherit" });
  try {
    const get = async (n) => (await fetch(`http://127.0.0.1:${PORT}/?n=${n}`)).text();
    for (let i = 0; ; i++) {
      try {
        await get(0);
        break;
      } catch (e) {
        if (i > 100) throw e;
        await sleep(100);
      }
    }
    const idle = procStats(child.pid);
    await get(1); // warm-up
    const before = procStats(child.pid);
    const started = performance.now();
    await get(HASHES);
    const wall = (performance.now() - started) / HASHES;
    const after = procStats(child.pid);
    console.log(
      `workerd: ${fmt(wall)} wall, ${fmt((after.cpuMs - before.cpuMs) / HASHES)} CPU per hash; peak RSS ${after.peakMiB.toFixed(0)} MiB (+${(after.peakMiB - idle.peakMiB).toFixed(0)} over idle)`,
    );
  } finally {
    child.kill();
    rmSync(dir, { recursive: true, force: true });
  }
}

console.log(`scrypt N=2^14 r=8 p=5 × ${HASHES}; working memory 128·N·r = ${(128 * N * r) / 2 ** 20} MiB (the p lanes run one after another)`);
await node();
await workerd();
