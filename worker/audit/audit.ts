/** Audit trail of security-relevant and administrative actions. */
import type { Context } from "hono";
import { db } from "../db/client";
import { auditLog } from "../db/schema";
import type { AppEnv } from "../http/context";

export async function audit(c: Context<AppEnv>, action: string, targetId: string | null, details: Record<string, unknown> = {}): Promise<void> {
  await db(c.env.DB)
    .insert(auditLog)
    .values({
      id: crypto.randomUUID(),
      actorId: c.get("user")?.id ?? targetId,
      action,
      targetId,
      details: JSON.stringify(details),
      requestId: c.get("requestId"),
    });
}
