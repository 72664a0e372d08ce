/**
 * Admin audit rows. Each is built as a statement for the same D1 batch as the change it
 * records, so a change and its record land together or not at all.
 */
import type { Context } from "hono";
import type { Db } from "../db/client";
import { auditLog } from "../db/schema";
import type { AppEnv } from "../http/context";

export interface AuditEntry {
  action: string;
  targetType: string;
  targetId: string | null;
  before: unknown;
  after: unknown;
  /** A deterministic id makes a retried write of the same change collapse into one row. */
  id?: string;
}

export function auditRow(database: Db, c: Context<AppEnv>, entry: AuditEntry) {
  return database
    .insert(auditLog)
    .values({
      id: entry.id ?? crypto.randomUUID(),
      actorId: c.var.user.id,
      action: entry.action,
      targetId: entry.targetId,
      details: JSON.stringify({ targetType: entry.targetType, before: entry.before ?? null, after: entry.after ?? null }),
      requestId: c.var.requestId,
    })
    .onConflictDoNothing();
}
