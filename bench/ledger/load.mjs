// Closed-loop HTTP load: N clients, each sending its next request as soon as the last
// one answered, over keep-alive connections, so connection setup never dominates.
import http from "node:http";
import { performance } from "node:perf_hooks";

const REQUEST_TIMEOUT_MS = 60_000;

/** A keep-alive client for one origin with up to `connections` sockets. Call `close()` when done. */
export function httpClient(origin, connections) {
  const { hostname, port } = new URL(origin);
  const agent = new http.Agent({ keepAlive: true, maxSockets: connections, maxFreeSockets: connections });

  /** Resolves `{ status, body }` (body parsed as JSON when it is JSON); rejects on network errors and timeouts. */
  function request(method, path, { json, token } = {}) {
    const payload = json === undefined ? undefined : JSON.stringify(json);
    const headers = { Accept: "application/json" };
    if (payload !== undefined) {
      headers["Content-Type"] = "application/json";
      headers["Content-Length"] = Buffer.byteLength(payload);
    }
    if (token) headers.Authorization = `Bearer ${token}`;
    return new Promise((resolve, reject) => {
      const req = http.request({ host: hostname, port, method, path, headers, agent }, (res) => {
        const chunks = [];
        res.on("data", (c) => chunks.push(c));
        res.on("end", () => {
          const text = Buffer.concat(chunks).toString("utf8");
          let body = text;
          if ((res.headers["content-type"] ?? "").includes("json") && text) {
            try {
              body = JSON.parse(text);
            } catch {
              // leave the text as is
            }
          }
          resolve({ status: res.statusCode ?? 0, body });
        });
        res.on("error", reject);
      });
      req.setTimeout(REQUEST_TIMEOUT_MS, () => req.destroy(new Error(`${method} ${path} timed out after ${REQUEST_TIMEOUT_MS} ms`)));
      req.on("error", reject);
      if (payload !== undefined) req.write(payload);
      req.end();
    });
  }

  return { request, close: () => agent.destroy() };
}

/**
 * Runs `op` from `concurrency` clients until `durationMs` has passed (throughput run) or
 * `attempts` requests were sent in total (overdraft run). `op` resolves
 * `{ outcome: "ok" | "refused" | "error", retries?, error? }` and never rejects.
 */
export async function closedLoop({ concurrency, durationMs, attempts, op }) {
  const latencies = [];
  const counts = { ok: 0, refused: 0, error: 0, retries: 0 };
  let firstError = null;
  let issued = 0;
  const started = performance.now();
  const deadline = durationMs === undefined ? Infinity : started + durationMs;

  async function client() {
    for (;;) {
      if (attempts !== undefined ? issued >= attempts : performance.now() >= deadline) return;
      issued++;
      const t0 = performance.now();
      const result = await op();
      latencies.push(performance.now() - t0);
      counts[result.outcome]++;
      counts.retries += result.retries ?? 0;
      if (result.outcome === "error" && firstError === null) firstError = result.error ?? "unknown error";
    }
  }

  await Promise.all(Array.from({ length: concurrency }, client));
  const elapsedMs = performance.now() - started;
  latencies.sort((a, b) => a - b);
  return {
    ...counts,
    requests: latencies.length,
    elapsedMs,
    opsPerSecond: (counts.ok * 1000) / elapsedMs,
    requestsPerSecond: (latencies.length * 1000) / elapsedMs,
    p50: percentile(latencies, 0.5),
    p99: percentile(latencies, 0.99),
    firstError,
  };
}

/** Nearest-rank percentile of a sorted array. */
export function percentile(sorted, q) {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
}

/** Wraps a request into the op shape: 200 → ok, `refusedStatus` → refused, anything else → error. */
export function charging(send, { refusedStatus = 402 } = {}) {
  return async () => {
    try {
      const res = await send();
      const retries = typeof res.body === "object" && res.body !== null ? (res.body.retries ?? 0) : 0;
      if (res.status === 200) return { outcome: "ok", retries };
      if (res.status === refusedStatus) return { outcome: "refused", retries };
      return { outcome: "error", retries, error: `HTTP ${res.status} ${typeof res.body === "string" ? res.body.slice(0, 200) : JSON.stringify(res.body).slice(0, 200)}` };
    } catch (e) {
      return { outcome: "error", error: e instanceof Error ? e.message : String(e) };
    }
  };
}
