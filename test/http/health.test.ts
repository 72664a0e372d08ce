import { describe, expect, it } from "vitest";
import { breakerFor } from "../../worker/ai/breaker";
import { ProviderError } from "../../worker/ai/errors";
import { api } from "../support/client";
import { call, envWith, uniqueIp } from "../support/direct";

describe("health", () => {
  it('GET /health answers {"status":"ok"} without touching anything', async () => {
    const res = await api("/health");
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: "ok" });
    const broken = envWith({ DB: undefined, FILES: undefined, ACCOUNT: undefined, JWT_KEYS: undefined });
    expect(await (await call(broken, "/health")).json()).toEqual({ status: "ok" });
  });

  it("GET /api/health reports healthy with the d1, r2, account and queue checks", async () => {
    const res = await api("/api/health", { headers: { "CF-Connecting-IP": uniqueIp() } });
    expect(res.status).toBe(200);
    const body = await res.json<{ status: string; checks: Record<string, { ok: boolean; ms: number }> }>();
    expect(body.status).toBe("healthy");
    expect(Object.keys(body.checks).sort()).toEqual(["account", "d1", "queue", "r2"]);
    for (const check of Object.values(body.checks)) expect(check).toMatchObject({ ok: true, ms: expect.any(Number) });
    // The real binding's metrics(): workerd asks the local queue for its backlog.
    expect(Number.isInteger((body.checks.queue as { backlog?: number }).backlog)).toBe(true);
  });

  it("probes the queue by its backlog and never enqueues anything for the consumer", async () => {
    const sent: unknown[] = [];
    const queue = (metrics: () => Promise<unknown>) => ({ metrics, send: async (m: unknown) => sent.push(m), sendBatch: async (m: unknown) => sent.push(m) });
    const backlogged = await call(envWith({ GENERATION_QUEUE: queue(async () => ({ backlogCount: 7, backlogBytes: 900 })) }), "/api/health", { ip: uniqueIp() });
    expect(backlogged.status).toBe(200);
    expect((await backlogged.json<{ checks: { queue: unknown } }>()).checks.queue).toEqual({ ok: true, ms: expect.any(Number), backlog: 7 });

    for (const broken of [async () => Promise.reject(new Error("queue unreachable")), async () => ({ backlogCount: "many" })]) {
      const res = await call(envWith({ GENERATION_QUEUE: queue(broken) }), "/api/health", { ip: uniqueIp() });
      expect(res.status).toBe(503);
      const body = await res.json<{ status: string; checks: Record<string, { ok: boolean; error?: string }> }>();
      expect(body.status).toBe("degraded");
      expect(body.checks.queue).toEqual({ ok: false, ms: expect.any(Number), error: "unavailable" });
      expect(body.checks.d1!.ok).toBe(true);
    }
    expect(sent).toEqual([]);
  });

  it("GET /api/health reports degraded (503) and names the failing check when D1 is down", async () => {
    const downD1 = envWith({
      DB: new Proxy(
        {},
        {
          get: () => () => {
            throw new Error("D1 is unreachable");
          },
        },
      ),
    });
    const res = await call(downD1, "/api/health", { ip: uniqueIp() });
    expect(res.status).toBe(503);
    const body = await res.json<{ status: string; checks: Record<string, { ok: boolean }> }>();
    expect(body.status).toBe("degraded");
    expect(body.checks.d1!.ok).toBe(false);
    expect(body.checks.r2!.ok).toBe(true);
    expect(body.checks.account!.ok).toBe(true);
  });
});

describe("health of the AI provider", () => {
  it("reports the configured provider and the circuit state of each breaker in the isolate", async () => {
    const breaker = breakerFor("health-probe-provider", { failureThreshold: 1, coolDownMs: 60_000 });
    await breaker.run(() => Promise.reject(new ProviderError("down", { retryable: true, provider: "health-probe-provider", status: 503 }))).catch(() => undefined);
    const res = await call(envWith({}), "/api/health", { ip: uniqueIp() });
    const body = await res.json<{ provider: { name: string; breakers: Record<string, string> } }>();
    expect(body.provider.name).toBe("procedural");
    expect(body.provider.breakers["health-probe-provider"]).toBe("open");
  });
});
