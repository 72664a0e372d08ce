/** A user with some of everything (projects, an upload, outputs, a running generation, a paid order, two sessions), and where it all lives. */
import { env, runInDurableObject } from "cloudflare:test";
import { expect } from "vitest";
import { accountOf } from "../../worker/account/client";
import { GENERATION_QUEUE } from "../../worker/generations/messages";
import { userPrefix } from "../../worker/storage/keys";
import { listObjects } from "../../worker/storage/zip";
import { buy, notification, postCallback } from "../billing/harness";
import { login } from "./auth-clients";
import { createAvatar } from "./avatars";
import type { Client } from "./client";
import { createProject, deliver, funded, submitCaptured } from "./generations";

export interface PopulatedUser {
  client: Client;
  /** A second login, as from another device. */
  other: Client;
  finishedGenerationId: string;
  runningGenerationId: string;
  orderId: string;
}

export async function populatedUser(): Promise<PopulatedUser> {
  const client = await funded(100);
  const other = await login(client.email);
  await createAvatar(client, await createProject(client, "avatar-creator"));
  const projectId = await createProject(client);
  const finished = await submitCaptured(client, projectId, ["ok", "ok"]);
  expect(finished.response.status).toBe(202);
  await deliver(GENERATION_QUEUE, finished.sent);
  // Never delivered: still queued, its credits held, when the account goes.
  const running = await submitCaptured(client, projectId, ["ok"]);
  expect(running.response.status).toBe(202);
  const { order } = await buy(client);
  expect((await postCallback(await notification(order))).status).toBe(200);
  return {
    client,
    other,
    finishedGenerationId: finished.sent[0]!.generationId,
    runningGenerationId: running.sent[0]!.generationId,
    orderId: order.id,
  };
}

export const filesOf = (userId: string) => listObjects(env.FILES, userPrefix(userId));

/** Every row of every D1 table whose text mentions one of `needles` (table name and row). */
export async function d1RowsMentioning(needles: string[]): Promise<Array<{ table: string; row: string }>> {
  const tables = await env.DB.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '_cf_%' AND name != 'd1_migrations'").all<{ name: string }>();
  expect(tables.results.length).toBeGreaterThan(10);
  const found: Array<{ table: string; row: string }> = [];
  for (const { name } of tables.results) {
    const rows = await env.DB.prepare(`SELECT * FROM "${name}"`).all();
    for (const row of rows.results) {
      const text = JSON.stringify(row);
      if (needles.some((n) => text.includes(n))) found.push({ table: name, row: text });
    }
  }
  return found;
}

/** Row counts of every table in the user's Account object, and any row that names the user. */
export function objectContents(userId: string) {
  return runInDurableObject(accountOf(env, userId), (_instance, state) => {
    const tables = state.storage.sql
      .exec<{ name: string }>("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '_cf_%' AND name != 'schema_migrations'")
      .toArray();
    const counts: Record<string, number> = {};
    const mentions: string[] = [];
    for (const { name } of tables) {
      const rows = state.storage.sql.exec(`SELECT * FROM "${name}"`).toArray();
      counts[name] = name === "account" ? rows.filter((r) => r.user_id !== null || r.balance !== 0).length : rows.length;
      for (const r of rows) if (JSON.stringify(r).includes(userId)) mentions.push(`${name}: ${JSON.stringify(r)}`);
    }
    return { counts, mentions };
  });
}
