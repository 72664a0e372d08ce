// Child processes and temporary directories that a benchmark owns: each child runs in
// its own process group and every one of them is stopped, and every directory removed,
// when the run ends, fails or is interrupted. Shared by every benchmark under bench/.
import { spawn } from "node:child_process";
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from "node:fs";
import net from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

const children = new Set();
const dirs = new Set();

/**
 * Starts `command` detached (its own process group) with stdout and stderr in `logFile`.
 * `stopSignal` is what asks it to stop (postgres: SIGINT = fast shutdown).
 */
export function startProcess(command, args, { cwd, env, logFile, stopSignal = "SIGTERM" }) {
  const fd = openSync(logFile, "a");
  const child = spawn(command, args, { cwd, env, detached: true, stdio: ["ignore", fd, fd] });
  closeSync(fd);
  const exited = new Promise((resolve) => {
    child.once("exit", (code, signal) => resolve({ code, signal }));
    child.once("error", (error) => resolve({ code: null, signal: null, error }));
  });
  const proc = {
    child,
    exited,
    logFile,
    isRunning: () => child.exitCode === null && child.signalCode === null,
    /** Asks the group to stop, then kills it after `graceMs`. */
    async stop(graceMs = 5000) {
      children.delete(proc);
      if (!proc.isRunning()) return;
      signalGroup(child.pid, stopSignal);
      const timer = new Promise((r) => setTimeout(r, graceMs, "timeout"));
      if ((await Promise.race([exited, timer])) === "timeout") {
        signalGroup(child.pid, "SIGKILL");
        await Promise.race([exited, new Promise((r) => setTimeout(r, 2000))]);
      }
      // Grandchildren that outlived their parent (workerd under wrangler) share the group.
      signalGroup(child.pid, "SIGKILL");
    },
    tail: (lines = 30) => tailOf(logFile, lines),
  };
  children.add(proc);
  return proc;
}

function signalGroup(pid, signal) {
  try {
    process.kill(-pid, signal);
  } catch {
    // the group is already gone
  }
}

export function tailOf(file, lines = 30) {
  try {
    return readFileSync(file, "utf8").trimEnd().split("\n").slice(-lines).join("\n");
  } catch {
    return "(no log)";
  }
}

/** A fresh directory under the system temp dir, removed at the end of the run. */
export function tempDir(prefix) {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  dirs.add(dir);
  return dir;
}

/** A loopback port that was free a moment ago. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** Stops every child still running and removes every temp dir. Safe to call twice. */
export async function cleanupAll() {
  await Promise.all([...children].map((p) => p.stop()));
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  dirs.clear();
}

// Last resort when the process is leaving without the async cleanup (a crash, process.exit).
process.on("exit", () => {
  for (const p of children) signalGroup(p.child.pid, "SIGKILL");
  for (const dir of dirs) {
    try {
      rmSync(dir, { recursive: true, force: true });
    } catch {
      // best effort
    }
  }
});

/**
 * Polls until `probe()` resolves truthy; fails early when `proc` dies or its log matches
 * `failOn` (wrangler keeps running after a failed build), or after `timeoutMs`.
 */
export async function waitUntil(what, probe, { proc, failOn, timeoutMs = 60_000, everyMs = 200 } = {}) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (proc && !proc.isRunning()) throw new Error(`${what}: the process exited early. Last log lines:\n${proc.tail()}`);
    if (proc && failOn?.test(proc.tail(200))) throw new Error(`${what} failed. Last log lines:\n${proc.tail(40)}`);
    try {
      if (await probe()) return;
    } catch {
      // not ready yet
    }
    await new Promise((r) => setTimeout(r, everyMs));
  }
  throw new Error(`${what}: not ready within ${timeoutMs} ms.${proc ? ` Last log lines:\n${proc.tail()}` : ""}`);
}

/**
 * Guards a benchmark run: a watchdog after `budgetMs`, and Ctrl-C or SIGTERM stop everything
 * it started. Returns `fail(error)`, which reports, cleans up and exits non-zero (once).
 */
export function guardRun(budgetMs) {
  let failing = false;
  const fail = async (error) => {
    if (failing) return;
    failing = true;
    console.error(`\n✖ ${error instanceof Error ? error.stack : error}`);
    await cleanupAll();
    process.exit(1);
  };
  setTimeout(() => fail(new Error(`the run exceeded its ${Math.round(budgetMs / 60_000)} min budget`)), budgetMs).unref();
  for (const signal of ["SIGINT", "SIGTERM"]) {
    process.on(signal, async () => {
      console.error(`\n${signal}: stopping everything this run started …`);
      await cleanupAll();
      process.exit(130);
    });
  }
  return fail;
}
