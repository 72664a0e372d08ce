/** /api/health: can this Worker reach D1, R2, the Account objects and the queue? */
import { Hono } from "hono";
import { z } from "zod";
import { accountOf } from "../account/client";
import type { AppEnv } from "../http/context";
import { doc } from "../http/openapi";
import { log } from "../core/log";
import { clientIp } from "../http/client-ip";
import { hitLimit } from "../http/rate-limit";
import { breakerStates } from "../ai/breaker";

const CHECK_TIMEOUT_MS = 3000;
const HEALTH_PROBE_OBJECT = "__health__";

type Check = { ok: boolean; ms: number; error?: string; backlog?: number };

/** The failure's detail goes to the log; the public answer only says which check failed. */
async function probe(name: string, run: () => Promise<unknown>, facts: (result: unknown) => Partial<Check> = () => ({})): Promise<Check> {
  const started = Date.now();
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    const result = await Promise.race([
      run(),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error("timed out")), CHECK_TIMEOUT_MS);
      }),
    ]);
    return { ok: true, ms: Date.now() - started, ...facts(result) };
  } catch (e) {
    log("warn", "health.check_failed", { check: name, error: e instanceof Error ? e.message : String(e) });
    return { ok: false, ms: Date.now() - started, error: "unavailable" };
  } finally {
    clearTimeout(timer);
  }
}

const CheckView = z.object({ ok: z.boolean(), ms: z.number(), error: z.string().optional() });
/** The queue's check also says how many messages wait in it. */
const QueueCheckView = CheckView.extend({ backlog: z.number().int().optional() });
const QueueMetrics = z.object({ backlogCount: z.number().int().nonnegative() });
const HealthView = z.object({
  status: z.enum(["healthy", "degraded"]),
  checks: z.object({ d1: CheckView, r2: CheckView, account: CheckView, queue: QueueCheckView }),
  /** The configured AI provider and the circuit state of every provider breaker in this isolate. */
  provider: z.object({ name: z.string(), breakers: z.record(z.string(), z.enum(["closed", "open", "half-open"])) }),
});

export const healthRoutes = new Hono<AppEnv>().get("/", doc({ summary: "Dependency health", tags: ["health"], auth: false, response: HealthView }), async (c) => {
  await hitLimit(c.env.DB, { key: `health:ip:${clientIp(c.req.raw)}`, limit: 60, windowSeconds: 60 }).catch((e: unknown) => {
    // When D1 itself is down the limiter cannot count; the d1 check below reports it.
    if (e instanceof Error && e.name === "ApiError") throw e;
  });
  const [d1, r2, account, queue] = await Promise.all([
    probe("d1", () => c.env.DB.prepare("SELECT 1").first()),
    probe("r2", () => c.env.FILES.head("health/probe")),
    probe("account", () => accountOf(c.env, HEALTH_PROBE_OBJECT).ping()),
    // The producer binding's metrics() asks the queue itself for its backlog, and enqueues nothing.
    probe(
      "queue",
      () => c.env.GENERATION_QUEUE.metrics(),
      (result) => ({ backlog: QueueMetrics.parse(result).backlogCount }),
    ),
  ]);
  const healthy = d1.ok && r2.ok && account.ok && queue.ok;
  const provider = { name: c.var.config.AI_PROVIDER, breakers: breakerStates() };
  return c.json({ status: healthy ? "healthy" : "degraded", checks: { d1, r2, account, queue }, provider }, healthy ? 200 : 503);
});
