/** Pipeline test helpers: projects, submissions, waiting for terminal states, fault-injecting envs. */
import { createExecutionContext, createMessageBatch, env, getQueueResult, waitOnExecutionContext } from "cloudflare:test";
import { expect } from "vitest";
import { testApp as app } from "./worker";
import worker from "./worker";
import type { GenerationView } from "../../worker/generations/view";
import type { ItemMessage } from "../../worker/generations/messages";
import { accountOf } from "../../worker/account/client";
import { api, clientRequest, register, type Client, type ClientInit } from "./client";

export async function createProject(client: Client, appId = "test-pipeline"): Promise<string> {
  const res = await api("/api/projects", { method: "POST", token: client.token, json: { appId, name: "Test project" } });
  expect(res.status).toBe(201);
  return (await res.json<{ id: string }>()).id;
}

export const newKey = () => `key-${crypto.randomUUID()}`;

export async function submit(client: Client, body: Record<string, unknown>, key = newKey(), appId = "test-pipeline"): Promise<Response> {
  return api(`/api/apps/${appId}/generations`, { method: "POST", token: client.token, json: body, headers: { "Idempotency-Key": key } });
}

export async function getGeneration(client: Client, id: string): Promise<GenerationView> {
  const res = await api(`/api/generations/${id}`, { token: client.token });
  expect(res.status).toBe(200);
  return res.json<GenerationView>();
}

const FINAL = ["completed", "partial", "failed", "cancelled"];

/** Polls until the generation is final and settled (the real queue delivers within ~1 s). */
export async function waitForFinal(client: Client, id: string, timeoutMs = 20_000): Promise<GenerationView> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const g = await getGeneration(client, id);
    if (FINAL.includes(g.status) && g.charged !== null) return g;
    if (Date.now() > deadline) throw new Error(`generation ${id} still ${g.status} after ${timeoutMs} ms: ${JSON.stringify(g)}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** A new user with `credits` granted on top of the signup credits. */
export async function funded(credits: number): Promise<Client> {
  const user = await register();
  const granted = await accountOf(env, user.userId).credit({ idempotencyKey: "test-grant", amount: credits, kind: "grant", reference: null, description: "Test credits" });
  expect(granted.ok).toBe(true);
  return user;
}

export async function balanceOf(client: Client): Promise<{ balance: number; held: number; available: number }> {
  const res = await api("/api/credits/balance", { token: client.token });
  return res.json();
}

/** A queue that records what it is given instead of delivering, or fails every send. */
export function recordingQueue(mode: "record" | "fail" = "record") {
  const sent: ItemMessage[] = [];
  const queue = {
    async send(body: ItemMessage) {
      if (mode === "fail") throw new Error("queue unavailable");
      sent.push(body);
    },
    async sendBatch(messages: Iterable<{ body: ItemMessage }>) {
      if (mode === "fail") throw new Error("queue unavailable");
      for (const m of messages) sent.push(m.body);
    },
  } as unknown as Queue;
  return { queue, sent };
}

/** Calls the Worker's fetch with a modified Env (fault injection), as the platform would. */
export async function fetchWith(overrides: Partial<Env>, path: string, init: ClientInit = {}): Promise<Response> {
  const ctx = createExecutionContext();
  const res = await app.fetch(clientRequest(path, init), { ...env, ...overrides }, ctx);
  await waitOnExecutionContext(ctx);
  return res;
}

/** Submits a test-pipeline generation whose messages are captured (or whose send fails), not delivered. */
export async function submitCaptured(client: Client, projectId: string, items: string[], mode: "record" | "fail" = "record") {
  const { queue, sent } = recordingQueue(mode);
  const response = await fetchWith({ GENERATION_QUEUE: queue }, "/api/apps/test-pipeline/generations", {
    method: "POST",
    token: client.token,
    json: { projectId, items },
    headers: { "Idempotency-Key": newKey() },
  });
  return { response, sent };
}

/** Hands messages to the Worker's queue handler as one batch, as the platform would. */
export function deliver(queue: string, messages: ItemMessage[], attempts = 1, overrides: Partial<Env> = {}) {
  const batch = createMessageBatch<ItemMessage>(
    queue,
    messages.map((body, i) => ({ id: `m-${i}-${crypto.randomUUID()}`, timestamp: new Date(), attempts, body })),
  );
  const ctx = createExecutionContext();
  return worker.queue!(batch as MessageBatch<unknown>, { ...env, ...overrides }, ctx).then(() => getQueueResult(batch, ctx));
}
