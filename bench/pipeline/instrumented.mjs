// Diagnosis only (BENCH_PIPELINE_INSTRUMENT=1): the real Worker, unchanged, behind an entry
// that times every D1 statement, R2 call, Account RPC and queue send, per context
// (queue consumer / HTTP route). Workers clocks move only across I/O, so with
// `precise` on, each timed call first yields one timer tick to read a current clock
// (small extra cost; attribution is exact only when one item runs at a time).
// GET /__bench/stats returns and resets the counters; /__bench/stats?precise=1|0 sets the mode.
import { AsyncLocalStorage } from "node:async_hooks";
import worker, { Account } from "../support/worker.ts";

export { Account };

const scope = new AsyncLocalStorage();
let stats = new Map();
let precise = false;
const tick = () => new Promise((resolve) => setTimeout(resolve, 0));

function add(op, ms, n = 1) {
  const key = `${scope.getStore() ?? "other"} ${op}`;
  const s = stats.get(key) ?? { n: 0, ms: 0, max: 0 };
  s.n += n;
  s.ms += ms;
  s.max = Math.max(s.max, ms);
  stats.set(key, s);
}

async function timed(op, fn) {
  if (precise) await tick();
  const t = Date.now();
  try {
    return await fn();
  } finally {
    add(op, Date.now() - t);
  }
}

let patched = false;
function patchPrototypes(env) {
  if (patched) return;
  patched = true;
  const stmtProto = Object.getPrototypeOf(env.DB.prepare("SELECT 1"));
  for (const m of ["first", "all", "run", "raw"]) {
    const original = stmtProto[m];
    if (typeof original === "function")
      stmtProto[m] = function (...args) {
        return timed(`d1.${m}`, () => original.apply(this, args));
      };
  }
  const dbProto = Object.getPrototypeOf(env.DB);
  const batch = dbProto.batch;
  if (typeof batch === "function")
    dbProto.batch = function (stmts) {
      return timed(`d1.batch(${stmts.length})`, () => batch.call(this, stmts));
    };
  const r2Proto = Object.getPrototypeOf(env.FILES);
  for (const m of ["put", "get", "head"]) {
    const original = r2Proto[m];
    if (typeof original === "function")
      r2Proto[m] = function (...args) {
        return timed(`r2.${m}`, () => original.apply(this, args));
      };
  }
}

function wrapStub(stub) {
  return new Proxy(stub, {
    get(target, name) {
      if (typeof name !== "string" || name === "then") return undefined;
      const member = target[name];
      if (typeof member !== "function") return member;
      return (...args) => timed(`do.${name}`, () => target[name](...args));
    },
  });
}

const wrapped = new WeakMap();
function wrapEnv(env) {
  let w = wrapped.get(env);
  if (w) return w;
  patchPrototypes(env);
  const ns = env.ACCOUNT;
  const queue = env.GENERATION_QUEUE;
  w = {
    ...env,
    ACCOUNT: {
      idFromName: (n) => ns.idFromName(n),
      idFromString: (s) => ns.idFromString(s),
      newUniqueId: (o) => ns.newUniqueId(o),
      get: (id, o) => wrapStub(ns.get(id, o)),
      getByName: (n, o) => wrapStub(ns.get(ns.idFromName(n), o)),
    },
    GENERATION_QUEUE: {
      send: (body, o) => timed("queue.send", () => queue.send(body, o)),
      sendBatch: (msgs, o) => timed(`queue.sendBatch`, () => queue.sendBatch(msgs, o)),
    },
  };
  wrapped.set(env, w);
  return w;
}

/**
 * The unit costs of the local simulators, n calls one after another on the raw bindings
 * (the client reads the Worker process's CPU around the request):
 * d1-read `SELECT 1`; d1-write one INSERT into a scratch table; d1-batch2 an INSERT and a
 * SELECT in one batch; r2-put 48 KB (the outputs here are 30–55 KB);
 * do-rpc an Account RPC (ping); noop nothing (the HTTP request's own cost).
 */
async function unitOps(env, kind, n) {
  if (!(n >= 1 && n <= 5000)) return new Response("bad n", { status: 400 });
  const bytes = new Uint8Array(48 * 1024).map((_, i) => (i * 2654435761) >>> 24);
  const account = env.ACCOUNT.get(env.ACCOUNT.idFromName("bench-unit-costs"));
  if (kind === "d1-write" || kind === "d1-batch2") await env.DB.prepare("CREATE TABLE IF NOT EXISTS bench_scratch (id INTEGER PRIMARY KEY, at INTEGER)").run();
  for (let i = 0; i < n; i++) {
    if (kind === "d1-read") await env.DB.prepare("SELECT 1 AS one").first();
    else if (kind === "d1-write") await env.DB.prepare("INSERT INTO bench_scratch (at) VALUES (?)").bind(i).run();
    else if (kind === "d1-batch2")
      await env.DB.batch([env.DB.prepare("INSERT INTO bench_scratch (at) VALUES (?)").bind(i), env.DB.prepare("SELECT COUNT(*) AS n FROM bench_scratch WHERE at = ?").bind(i)]);
    else if (kind === "r2-put") await env.FILES.put(`bench-unit/${i % 50}`, bytes);
    else if (kind === "do-rpc") await account.ping();
    else if (kind !== "noop") return new Response("bad kind", { status: 400 });
  }
  return Response.json({ kind, n });
}

/** A route label for stats: /api/apps/x/generations → POST /api/apps/:id/generations. */
const label = (req) => `${req.method} ${new URL(req.url).pathname.replace(/\/[A-Za-z0-9_-]{16,}(?=\/|$)/g, "/:id").replace(/^\/api\/apps\/[^/]+/, "/api/apps/:app")}`;

export default {
  async fetch(req, env, ctx) {
    const url = new URL(req.url);
    if (url.pathname === "/__bench/stats") {
      if (url.searchParams.has("precise")) precise = url.searchParams.get("precise") === "1";
      const out = Object.fromEntries([...stats].sort(([a], [b]) => a.localeCompare(b)));
      stats = new Map();
      return Response.json({ precise, stats: out });
    }
    if (url.pathname === "/__bench/op") return unitOps(env, url.searchParams.get("kind"), Number(url.searchParams.get("n") ?? 1));
    return scope.run(label(req), async () => {
      if (precise) await tick();
      const t = Date.now();
      try {
        return await worker.fetch(req, wrapEnv(env), ctx);
      } finally {
        if (precise) await tick();
        add("handler", Date.now() - t);
      }
    });
  },
  async queue(batch, env, ctx) {
    return scope.run(`queue:${batch.queue}`, async () => {
      if (precise) await tick();
      const t = Date.now();
      try {
        return await worker.queue(batch, wrapEnv(env), ctx);
      } finally {
        if (precise) await tick();
        add("handler", Date.now() - t);
        add("messages", 0, batch.messages.length);
      }
    });
  },
  scheduled: (controller, env, ctx) => worker.scheduled(controller, wrapEnv(env), ctx),
};
