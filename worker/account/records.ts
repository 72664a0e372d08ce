/**
 * Everything the Account object needs from D1, and nothing more: it writes its balance
 * projection for views across users, asks where a generation stands before it releases or
 * settles that generation's hold on expiry, and records such a release before making it.
 */
import { eq, sql } from "drizzle-orm";
import { db } from "../db/client";
import { balances, generations, releasedHolds } from "../db/schema";

export interface BalanceProjection {
  userId: string;
  balance: number;
  held: number;
  /** The ledger version it reflects: a late write of an older one never regresses the row. */
  version: number;
}

export interface AccountRecords {
  projectBalance(projection: BalanceProjection): Promise<void>;
  /** Null when the generation never reached D1; `finished` once D1 recorded its outcome (the capture of `completed` items). */
  generationState(id: string): Promise<{ finished: boolean; completed: number } | null>;
  /** Written before a generation's hold is released: from then on none of its items is claimed. */
  markReleased(generationId: string): Promise<void>;
}

export function d1Records(database: D1Database): AccountRecords {
  const orm = db(database);
  return {
    async projectBalance({ userId, balance, held, version }) {
      const updatedAt = Date.now();
      await orm
        .insert(balances)
        .values({ userId, balance, held, version, updatedAt })
        .onConflictDoUpdate({ target: balances.userId, set: { balance, held, version, updatedAt }, setWhere: sql`${balances.version} < ${version}` });
    },
    async generationState(id) {
      const row = await orm.select({ completed: generations.completed, charged: generations.charged }).from(generations).where(eq(generations.id, id)).get();
      return row ? { finished: row.charged !== null, completed: row.completed } : null;
    },
    async markReleased(generationId) {
      await orm.insert(releasedHolds).values({ generationId, releasedAt: Date.now() }).onConflictDoNothing();
    },
  };
}
