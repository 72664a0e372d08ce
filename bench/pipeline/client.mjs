// A small JSON client for the Worker's API and the realtime socket (loopback only).
import { randomBytes, randomUUID } from "node:crypto";
import { performance } from "node:perf_hooks";
import WebSocket from "ws";

export const TERMINAL = new Set(["completed", "partial", "failed", "cancelled"]);

export function api(origin) {
  if (!/^http:\/\/(127\.0\.0\.1|localhost)(:\d+)?$/.test(origin)) throw new Error(`refusing non-loopback origin ${origin}`);
  async function request(method, path, { token, json, headers = {}, expect } = {}) {
    const h = { Accept: "application/json", ...headers };
    if (token) h.Authorization = `Bearer ${token}`;
    if (json !== undefined) h["Content-Type"] = "application/json";
    const res = await fetch(origin + path, { method, headers: h, body: json === undefined ? undefined : JSON.stringify(json), signal: AbortSignal.timeout(60_000) });
    const text = await res.text();
    let body = text;
    try {
      body = text ? JSON.parse(text) : null;
    } catch {
      // not JSON
    }
    if (expect !== undefined && res.status !== expect) throw new Error(`${method} ${path}: HTTP ${res.status} (wanted ${expect}) ${text.slice(0, 300)}`);
    return { status: res.status, body, headers: res.headers };
  }
  return { origin, request };
}

/** Registers a fresh user; returns its access token. */
export async function register(client) {
  const email = `pipeline-${randomUUID()}@bench.local`;
  const { body } = await client.request("POST", "/api/auth/register", { json: { email, password: randomBytes(18).toString("base64url"), name: "Pipeline bench" }, expect: 201 });
  return body.accessToken;
}

export async function balanceOf(client, token) {
  const { body } = await client.request("GET", "/api/credits/balance", { token, expect: 200 });
  return body;
}

export async function grant(client, token, amount) {
  const { body } = await client.request("POST", "/api/bench/grant", { token, json: { amount, key: `bench-grant-${randomUUID()}` }, expect: 200 });
  return body;
}

/**
 * What the benchmark submits, per app (BENCH_PIPELINE_APP): a generation of `items` items, and
 * which of the app's published credit costs (GET /api/apps) an item is charged. `test-pipeline`
 * (test-only) renders a 256×256 procedural image; the Pose Generator renders its 768×1024 pose
 * with the default export (the original PNG).
 */
export const WORKLOADS = {
  "test-pipeline": {
    price: "item",
    shown: "test-pipeline: a 256×256 procedural image",
    setup: async () => ({}),
    body: (projectId, items) => ({ projectId, items: Array.from({ length: items }, () => "ok") }),
  },
  "pose-generator": {
    price: "pose",
    shown: "Pose Generator: a 768×1024 library pose, original PNG",
    setup: async (client, token) => {
      const { body } = await client.request("GET", "/api/apps/pose-generator/library?limit=20", { token, expect: 200 });
      return { poses: body.items.map((p) => p.id) };
    },
    body: (projectId, items, { poses }) => ({ projectId, generationType: "GALLERY_REFERENCE", selectedPoseIds: poses.slice(0, items) }),
  },
};

/**
 * A project of `app` (a WORKLOADS key) for the user behind `token`, and what the benchmarks do
 * with it: submit a generation of N items, list the newest generations (no items: cheap to
 * poll), and run a generation's first item N times in a loop in the Worker (`{ count, ms }`).
 */
export async function workload(client, token, app = "test-pipeline") {
  const spec = WORKLOADS[app];
  if (!spec) throw new Error(`unknown app ${app} (one of ${Object.keys(WORKLOADS).join(", ")})`);
  const context = await spec.setup(client, token);
  const { body: catalog } = await client.request("GET", "/api/apps", { token, expect: 200 });
  const cost = catalog.apps.find((a) => a.id === app)?.credits[spec.price];
  if (!Number.isInteger(cost)) throw new Error(`${app} publishes no ${spec.price} cost in GET /api/apps`);
  const { body: project } = await client.request("POST", "/api/projects", { token, json: { appId: app, name: `bench ${new Date().toISOString()}` }, expect: 201 });
  const projectId = project.id ?? project.project?.id;
  return {
    app,
    cost,
    shown: spec.shown,
    async submit(items) {
      const { body } = await client.request("POST", `/api/apps/${app}/generations`, {
        token,
        json: spec.body(projectId, items, context),
        headers: { "Idempotency-Key": `bench-${randomUUID()}` },
        expect: 202,
      });
      return body.generation;
    },
    async list(limit = 100) {
      const { body } = await client.request("GET", `/api/generations?appId=${app}&limit=${limit}`, { token, expect: 200 });
      return body.items;
    },
    async render(generationId, count) {
      const { body } = await client.request("POST", "/api/bench/render", { token, json: { generationId, count }, expect: 200 });
      return body;
    },
  };
}

/**
 * Opens one realtime socket (fresh ticket, Origin = the server's origin). Every frame goes
 * to `onFrame(frame, receivedAtEpochMs, receivedAtPerfMs)`; the clock is read before parsing.
 * Resolves once the socket is open and its greeting (credits.changed) arrived.
 */
export async function openSocket(client, token, onFrame, timeoutMs = 30_000) {
  const { body } = await client.request("POST", "/api/realtime/ticket", { token, expect: 200 });
  const url = `${client.origin.replace(/^http/, "ws")}/api/realtime?ticket=${encodeURIComponent(body.ticket)}`;
  const ws = new WebSocket(url, { headers: { Origin: client.origin }, perMessageDeflate: false });
  await new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      ws.terminate();
      reject(new Error("socket did not open and greet in time"));
    }, timeoutMs);
    let greeted = false;
    ws.on("message", (data) => {
      const perf = performance.now();
      const epoch = Date.now();
      const frame = JSON.parse(data.toString());
      if (!greeted) {
        greeted = true;
        clearTimeout(timer);
        resolve();
        return;
      }
      onFrame(frame, epoch, perf);
    });
    ws.once("unexpected-response", (_req, res) => {
      clearTimeout(timer);
      reject(new Error(`upgrade refused: HTTP ${res.statusCode}`));
    });
    ws.once("error", (e) => {
      clearTimeout(timer);
      reject(e);
    });
  });
  ws.on("error", () => {}); // late errors surface as close
  ws.on("close", (code, reason) => {
    ws.closeInfo = { code, reason: reason.toString(), at: new Date().toISOString() };
  });
  return ws;
}

/** Closes sockets politely, then terminates whatever did not close within `timeoutMs`. */
export async function closeSockets(sockets, timeoutMs = 10_000) {
  const open = sockets.filter((ws) => ws.readyState === WebSocket.OPEN || ws.readyState === WebSocket.CONNECTING);
  const closed = Promise.all(open.map((ws) => new Promise((r) => (ws.readyState === WebSocket.CLOSED ? r() : ws.once("close", r)))));
  for (const ws of open) {
    try {
      ws.close(1000, "bench done");
    } catch {
      ws.terminate();
    }
  }
  await Promise.race([closed, new Promise((r) => setTimeout(r, timeoutMs))]);
  for (const ws of sockets) if (ws.readyState !== WebSocket.CLOSED) ws.terminate();
}

/** Runs `fn(i)` for i in [0, n) with at most `concurrency` in flight. */
export async function pool(n, concurrency, fn) {
  const results = new Array(n);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, n) }, async () => {
      while (next < n) {
        const i = next++;
        results[i] = await fn(i);
      }
    }),
  );
  return results;
}

/** Nearest-rank percentile. */
export function percentile(values, q) {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
}
