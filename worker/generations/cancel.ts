/** Cancelling a generation: its items not started yet are cancelled and never charged. */
import { and, eq, inArray } from "drizzle-orm";
import type { Config } from "../config/config";
import { db } from "../db/client";
import { generationItems } from "../db/schema";
import { itemsChanged } from "./lifecycle";

/** Items already processing finish as they would; the generation settles when the last one does. */
export async function cancelGeneration(env: Env, config: Config, generationId: string): Promise<void> {
  const now = Date.now();
  const cancelled = await db(env.DB)
    .update(generationItems)
    .set({ status: "cancelled", error: "Cancelled; not charged", finishedAt: now, updatedAt: now })
    .where(and(eq(generationItems.generationId, generationId), inArray(generationItems.status, ["queued"])))
    .returning();
  // One recount covers them all; it finalizes when nothing is left running.
  if (cancelled.length > 0) await itemsChanged(env, config, cancelled.at(-1)!);
}
