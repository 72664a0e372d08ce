import { env, listDurableObjectIds, SELF } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { signTicket } from "../../worker/account/tickets";
import { api, BASE, errorOf, register, testConfig, type Client } from "../support/client";
import { createProject } from "../support/generations";

type Event = { type: string; [k: string]: unknown };

async function ticketFor(client: Client): Promise<string> {
  const res = await api("/api/realtime/ticket", { method: "POST", token: client.token });
  expect(res.status).toBe(200);
  return (await res.json<{ ticket: string }>()).ticket;
}

function upgrade(ticket: string, origin: string | null = BASE) {
  const headers: Record<string, string> = { Upgrade: "websocket" };
  if (origin) headers.Origin = origin;
  return SELF.fetch(`${BASE}/api/realtime?ticket=${encodeURIComponent(ticket)}`, { headers });
}

async function connect(client: Client) {
  const res = await upgrade(await ticketFor(client));
  expect(res.status).toBe(101);
  const socket = res.webSocket!;
  const events: Event[] = [];
  socket.addEventListener("message", (m) => {
    events.push(JSON.parse(m.data as string) as Event);
  });
  socket.accept();
  return { socket, events };
}

async function until(check: () => boolean, timeoutMs = 15_000) {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error("timed out waiting for events");
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe("realtime", () => {
  it("accepts a ticket once; a reused ticket gets 401 before the upgrade", async () => {
    const user = await register();
    const ticket = await ticketFor(user);
    const first = await upgrade(ticket);
    expect(first.status).toBe(101);
    first.webSocket!.accept();
    first.webSocket!.close(1000, "done");
    const reused = await upgrade(ticket);
    expect(reused.status).toBe(401);
    expect((await errorOf(reused)).code).toBe("UNAUTHENTICATED");
  });

  it("refuses a foreign or missing Origin with 403", async () => {
    const user = await register();
    expect((await upgrade(await ticketFor(user), "https://evil.example")).status).toBe(403);
    expect((await upgrade(await ticketFor(user), null)).status).toBe(403);
  });

  it("refuses a forged ticket and a ticket moved to another user", async () => {
    const alice = await register();
    const bob = await register();
    const ticket = await ticketFor(alice);
    expect(ticket).toContain(alice.userId);
    expect((await upgrade(ticket.replace(alice.userId, bob.userId))).status).toBe(401);
    expect((await upgrade(`${alice.userId}.${"0".repeat(48)}`)).status).toBe(401);
    expect((await upgrade(ticket)).status).toBe(101);
  });

  it("refuses forged, expired and malformed tickets for a never-seen user with 401, and never creates their Account object", async () => {
    const stranger = crypto.randomUUID();
    const keys = testConfig().JWT_KEYS;
    const nonce = "ab".repeat(16);
    const valid = await signTicket(keys, { userId: stranger, nonce, expiresAt: Date.now() + 30_000 });
    const [, expiresAt, , signature] = valid.split(".");
    const forged = [
      `${stranger}.${"0".repeat(48)}`,
      `${stranger}.${expiresAt}.${nonce}.${"0".repeat(signature!.length)}`,
      `${stranger}.${Number(expiresAt) + 1}.${nonce}.${signature}`,
      await signTicket([{ kid: "attacker", secret: "an-attacker-chosen-key-0123456789abcdefghij" }], { userId: stranger, nonce, expiresAt: Date.now() + 30_000 }),
      await signTicket(keys, { userId: stranger, nonce, expiresAt: Date.now() - 1 }),
      `${stranger}`,
      `${stranger}.${expiresAt}.${nonce}.${signature}.extra`,
      "%ZZ",
    ];
    for (const ticket of forged) {
      const res = await upgrade(ticket);
      expect(res.status, ticket).toBe(401);
      expect((await errorOf(res)).code).toBe("UNAUTHENTICATED");
    }
    const created = (await listDurableObjectIds(env.ACCOUNT)).map((id) => id.toString());
    expect(created).not.toContain(env.ACCOUNT.idFromName(stranger).toString());
  });

  it("streams one item's progress in order, then the finished event — and only to its owner", async () => {
    const alice = await register();
    const bob = await register();
    const aliceSocket = await connect(alice);
    const bobSocket = await connect(bob);
    const projectId = await createProject(alice);
    const res = await api("/api/apps/test-pipeline/generations", {
      method: "POST",
      token: alice.token,
      json: { projectId, items: ["ok"] },
      headers: { "Idempotency-Key": crypto.randomUUID() },
    });
    const { generation } = await res.json<{ generation: { id: string } }>();
    await until(() => aliceSocket.events.some((e) => e.type === "generation.finished"));

    const mine = aliceSocket.events.filter((e) => e.generationId === generation.id);
    const itemStates = mine.filter((e) => e.type === "generation.progress").map((e) => (e.item as { status: string }).status);
    expect(itemStates).toEqual(["completed"]);
    const finished = mine.find((e) => e.type === "generation.finished")!;
    expect(finished).toMatchObject({ status: "completed", charged: 7, refunded: 0 });
    const completed = mine.find((e) => e.type === "generation.progress" && (e.item as { status: string }).status === "completed")!;
    expect((completed.item as { thumbnailUrl: string }).thumbnailUrl).toMatch(/^\/api\/files\//);
    expect(aliceSocket.events.some((e) => e.type === "credits.changed" && e.balance === 93)).toBe(true);

    expect(bobSocket.events.some((e) => e.generationId === generation.id)).toBe(false);
    expect(bobSocket.events.every((e) => e.type !== "credits.changed" || e.balance === 100)).toBe(true);
    aliceSocket.socket.close(1000);
    bobSocket.socket.close(1000);
  });

  it("answers the client's ping with pong", async () => {
    const user = await register();
    const { socket, events } = await connect(user);
    socket.send('{"type":"ping"}');
    await until(() => events.some((e) => e.type === "pong"));
    socket.close(1000);
  });
});
