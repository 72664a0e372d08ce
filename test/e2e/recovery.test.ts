/**
 * The local cron runs the real scheduled handler: an item left the way a crashed consumer
 * leaves it (processing under a live lease, no message on its way) is handed on only once
 * the schedule runs past its lease, and the generation then settles for what it delivered.
 * Plain HTTP against the suite's `wrangler dev`; no browser.
 */
import { randomUUID } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import { describe, expect, it } from "vitest";
import { runScheduled } from "../../scripts/cron.mjs";
import { BASE, PASSWORD, uniqueEmail } from "./browser";

/** Longer than the consumer's first retry delay (QUEUE_RETRY_BASE_SECONDS, 2 s in wrangler.toml). */
const REDELIVERED_WITHIN_MS = 5_000;
/** Far past any lease (5 minutes) and the queued-item staleness (2 minutes). */
const AN_HOUR_MS = 60 * 60_000;

interface Generation {
  id: string;
  status: string;
  cost: number;
  charged: number | null;
  refunded: number | null;
  items?: Array<{ status: string; error: string | null }>;
}

interface CallInit {
  method?: string;
  token?: string;
  json?: unknown;
  headers?: Record<string, string>;
}

async function call<T>(path: string, { method = "GET", token, json, headers = {} }: CallInit = {}): Promise<T> {
  const res = await fetch(`${BASE}${path}`, {
    method,
    headers: { ...headers, ...(token ? { authorization: `Bearer ${token}` } : {}), ...(json === undefined ? {} : { "content-type": "application/json" }) },
    body: json === undefined ? undefined : JSON.stringify(json),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${path}: HTTP ${res.status} ${text.slice(0, 300)}`);
  return JSON.parse(text) as T;
}

describe("the local cron", () => {
  it("recovers an item a crashed consumer left processing, and the generation is charged for it once", async () => {
    const { accessToken: token } = await call<{ accessToken: string }>("/api/auth/register", {
      method: "POST",
      json: { email: uniqueEmail("cron"), password: PASSWORD, name: "Cron Check" },
    });
    const { id: projectId } = await call<{ id: string }>("/api/projects", { method: "POST", token, json: { appId: "test-pipeline", name: "Recovery" } });
    const before = await call<{ balance: number }>("/api/credits/balance", { token });
    const { generation } = await call<{ generation: Generation }>("/api/apps/test-pipeline/generations", {
      method: "POST",
      token,
      json: { projectId, items: ["crash-after-claim"] },
      headers: { "Idempotency-Key": `cron-${randomUUID()}` },
    });
    const current = () => call<Generation>(`/api/generations/${generation.id}`, { token });
    const itemStatus = async () => (await current()).items?.[0]?.status;

    // The first claim crashes; its retried message finds the lease held and lets go.
    await expect.poll(itemStatus).toBe("processing");
    await sleep(REDELIVERED_WITHIN_MS);
    expect(await itemStatus()).toBe("processing");

    // A run now leaves a live lease alone.
    await runScheduled(BASE);
    expect(await itemStatus()).toBe("processing");

    // A run an hour on finds the lease run out and re-sends the item; its next claim completes it.
    await runScheduled(BASE, { scheduledTime: Date.now() + AN_HOUR_MS });
    await expect.poll(async () => (await current()).charged, { timeout: 20_000 }).not.toBeNull();
    const done = await current();
    expect(done).toMatchObject({ status: "completed", charged: done.cost, refunded: 0 });
    expect(done.items).toMatchObject([{ status: "completed", error: null }]);
    expect(await call("/api/credits/balance", { token })).toMatchObject({ balance: before.balance - done.cost, held: 0 });
  });
});
