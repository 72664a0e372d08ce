/**
 * "Export my data": one ZIP of the user's profile, ledger (with its hash chain), orders,
 * generations with their items, and every file they have in R2. The JSON documents are
 * small and built first; the files stream from R2 one at a time as the archive is written.
 */
import { asc, eq } from "drizzle-orm";
import { z } from "zod";
import { accountOf } from "../account/client";
import { db } from "../db/client";
import { orders } from "../db/billing";
import { generationItems, generations, projects } from "../db/schema";
import type { AuthUser } from "../http/context";
import { userPrefix } from "../storage/keys";
import { bytesSource, listObjects, r2Source, zipStream } from "../storage/zip";

const Json = z.json();

/** A JSON column as the value it holds; text that is not JSON stays text. */
function column(raw: string | null): unknown {
  if (raw === null) return null;
  try {
    const parsed = Json.safeParse(JSON.parse(raw));
    return parsed.success ? parsed.data : raw;
  } catch {
    return raw;
  }
}

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
const document = (value: unknown) => new TextEncoder().encode(`${JSON.stringify(value, null, 2)}\n`);

export async function exportArchive(env: Env, user: AuthUser): Promise<Response> {
  const database = db(env.DB);
  const [projectRows, orderRows, generationRows, itemRows, ledger, files] = await Promise.all([
    database.select().from(projects).where(eq(projects.userId, user.id)).orderBy(asc(projects.createdAt)),
    database.select().from(orders).where(eq(orders.userId, user.id)).orderBy(asc(orders.createdAt)),
    database.select().from(generations).where(eq(generations.userId, user.id)).orderBy(asc(generations.createdAt)),
    database.select().from(generationItems).where(eq(generationItems.userId, user.id)).orderBy(asc(generationItems.position)),
    accountOf(env, user.id).statement(0, Date.now() + 1),
    listObjects(env.FILES, userPrefix(user.id)),
  ]);
  const { sessionId: _sessionId, ...profile } = user;
  const itemsOf = new Map<string, typeof itemRows>();
  for (const i of itemRows) {
    const list = itemsOf.get(i.generationId);
    if (list) list.push(i);
    else itemsOf.set(i.generationId, [i]);
  }
  const prefix = userPrefix(user.id);
  const exportedAt = new Date();
  const sources = [
    bytesSource(
      "profile.json",
      document({
        exportedAt: exportedAt.toISOString(),
        user: profile,
        projects: projectRows.map((p) => ({ ...p, createdAt: iso(p.createdAt), updatedAt: iso(p.updatedAt) })),
      }),
      exportedAt,
    ),
    bytesSource("ledger.json", document(ledger), exportedAt),
    bytesSource(
      "orders.json",
      document(
        orderRows.map(({ requestHash: _hash, planTerms, ...o }) => ({
          ...o,
          planTerms: column(planTerms),
          createdAt: iso(o.createdAt),
          updatedAt: iso(o.updatedAt),
          paidAt: iso(o.paidAt),
          checkedAt: iso(o.checkedAt),
        })),
      ),
      exportedAt,
    ),
    bytesSource(
      "generations.json",
      document(
        generationRows.map(({ requestHash: _hash, params, ...g }) => ({
          ...g,
          params: column(params),
          createdAt: iso(g.createdAt),
          updatedAt: iso(g.updatedAt),
          finishedAt: iso(g.finishedAt),
          items: (itemsOf.get(g.id) ?? []).map((i) => ({
            key: i.key,
            position: i.position,
            status: i.status,
            params: column(i.params),
            outputs: column(i.outputs),
            error: i.error,
            createdAt: iso(i.createdAt),
            finishedAt: iso(i.finishedAt),
          })),
        })),
      ),
      exportedAt,
    ),
    ...files.map((o) => r2Source(env.FILES, `files/${o.key.slice(prefix.length)}`, o)),
  ];
  return zipStream(sources, `lumiku-export-${exportedAt.toISOString().slice(0, 10)}.zip`);
}
