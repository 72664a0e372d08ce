/**
 * An admin's retry of a finished generation's failed items. The failed items are planned
 * again as a new generation of the same user, app and project, under a hold of its own,
 * through the engine's own reserve → write → enqueue path: the user is charged only for
 * the items that then complete, and the original generation, already settled, is never
 * reopened. The new generation's id comes from (original, Idempotency-Key), so a replay
 * starts nothing new.
 */
import { and, asc, eq } from "drizzle-orm";
import type { Context } from "hono";
import { z } from "zod";
import { db } from "../db/client";
import { generationItems, generationRetries, generations } from "../db/schema";
import { ApiError, notFound } from "../core/errors";
import type { AppEnv } from "../http/context";
import { idFromKey, requestHash } from "../http/idempotency";
import { isFinal, type GenerationRow } from "../generations/lifecycle";
import { existing, startPlanned } from "../generations/submit";
import { parseTags } from "../auth/users";
import { auditRow } from "./audited";
import { userRow } from "./users";

const ItemParams = z.record(z.string(), z.unknown());

export async function retryFailedItems(c: Context<AppEnv>, originalId: string, key: string): Promise<{ generation: GenerationRow; replayed: boolean }> {
  const database = db(c.env.DB);
  const original = await database.select().from(generations).where(eq(generations.id, originalId)).get();
  if (!original) throw notFound("Generation");
  if (!isFinal(original.status) || original.charged === null) throw new ApiError("CONFLICT", "This generation is still running; retry its failed items once it has finished");
  const failed = await database
    .select()
    .from(generationItems)
    .where(and(eq(generationItems.generationId, original.id), eq(generationItems.status, "failed")))
    .orderBy(asc(generationItems.position));
  if (failed.length === 0) throw new ApiError("UNPROCESSABLE", "This generation has no failed items to retry");

  const owner = await userRow(database, original.userId);
  const id = await idFromKey(owner.id, "generation", `admin-retry:${original.id}:${key}`);
  const hash = await requestHash({ retryOf: original.id, items: failed.map((i) => i.key) });
  const previous = await existing(database, id, owner.id, hash);
  const started = previous
    ? { generation: previous, replayed: true }
    : await startPlanned({
        env: c.env,
        user: { id: owner.id, tags: parseTags(owner.tags) },
        id,
        appId: original.appId,
        projectId: original.projectId,
        hash,
        params: JSON.parse(original.params) as unknown,
        prompt: original.prompt,
        plan: { unitCost: original.unitCost, quotaEligible: false, items: failed.map((i) => ({ key: i.key, params: ItemParams.parse(JSON.parse(i.params)) })) },
      });
  // Both rows are keyed by the new generation: a replay that finds them written adds nothing.
  await database.batch([
    database.insert(generationRetries).values({ id, originalId: original.id, actorId: c.var.user.id }).onConflictDoNothing(),
    auditRow(database, c, {
      id: `admin-retry:${id}`,
      action: "admin.generation.retry",
      targetType: "generation",
      targetId: original.id,
      before: { failed: failed.length },
      after: { retryGenerationId: id, items: failed.length, held: started.generation.cost },
    }),
  ]);
  return started;
}
