/** /api/admin recovery (run now, history), reconciliation and the audit log. */
import { Hono } from "hono";
import { and, desc, eq, lt, or } from "drizzle-orm";
import { z } from "zod";
import { lastReconciliation } from "../account/reconcile";
import { db } from "../db/client";
import { auditLog, recoveryRuns } from "../db/schema";
import { ApiError } from "../core/errors";
import { recover } from "../generations/recovery";
import { recoveryRunRow } from "../generations/recovery-runs";
import type { AppEnv } from "../http/context";
import { doc } from "../http/openapi";
import { decodeCursor, page, pageQuery } from "../http/pagination";
import { query } from "../http/validate";
import { auditRow } from "./audited";

const Drift = z.object({
  userId: z.string(),
  kind: z.string(),
  expected: z.union([z.number(), z.string(), z.null()]),
  actual: z.union([z.number(), z.string(), z.null()]),
  subject: z.string().optional(),
});
const ReconciliationReport = z.object({ ranAt: z.string(), checked: z.number(), drift: z.array(Drift) });
const RecoveryReport = z.object({ requeued: z.number(), failed: z.number(), finalized: z.number(), released: z.number(), errors: z.number() });
const RecoveryRun = RecoveryReport.extend({ id: z.string(), ranAt: z.string(), actorId: z.string().nullable() });

/** Audit details are JSON written by this Worker; older rows (auth events) keep other shapes. */
const AuditDetails = z.object({ targetType: z.string().nullable().optional(), before: z.unknown().optional(), after: z.unknown().optional() }).loose();
const AuditView = z.object({
  id: z.string(),
  actorId: z.string().nullable(),
  action: z.string(),
  targetType: z.string().nullable(),
  targetId: z.string().nullable(),
  before: z.unknown(),
  after: z.unknown(),
  createdAt: z.string(),
});
const AuditQuery = pageQuery.extend({ action: z.string().min(1).max(80).optional(), targetId: z.string().min(1).max(64).optional() });

function auditView(row: typeof auditLog.$inferSelect): z.infer<typeof AuditView> {
  let details: z.infer<typeof AuditDetails> = {};
  try {
    details = AuditDetails.parse(JSON.parse(row.details));
  } catch {
    // A malformed details column shows as no details, never as a failed page.
  }
  const structured = "targetType" in details;
  const { targetType, before, after, ...rest } = details;
  return {
    id: row.id,
    actorId: row.actorId,
    action: row.action,
    targetType: targetType ?? null,
    targetId: row.targetId,
    before: structured ? (before ?? null) : null,
    after: structured ? (after ?? null) : rest,
    createdAt: new Date(row.createdAt).toISOString(),
  };
}

export const adminOperationRoutes = new Hono<AppEnv>()
  .post("/recovery", doc({ summary: "Run pipeline recovery now (kept in the history, audited)", tags: ["admin"], response: RecoveryReport }), async (c) => {
    const report = await recover(c.env, c.var.config);
    const database = db(c.env.DB);
    await database.batch([recoveryRunRow(database, report, c.var.user.id), auditRow(database, c, { action: "admin.recovery", targetType: "pipeline", targetId: null, before: null, after: report })]);
    return c.json(report, 200);
  })
  .get("/recovery", doc({ summary: "The last recovery runs, newest first", tags: ["admin"], response: z.object({ items: z.array(RecoveryRun) }) }), async (c) => {
    const rows = await db(c.env.DB).select().from(recoveryRuns).orderBy(desc(recoveryRuns.ranAt)).limit(50);
    return c.json({ items: rows.map((r) => ({ ...r, ranAt: new Date(r.ranAt).toISOString() })) }, 200);
  })
  .get("/reconciliation", doc({ summary: "The last reconciliation report (drift between D1 and the Account objects)", tags: ["admin"], response: ReconciliationReport }), async (c) => {
    const report = await lastReconciliation(c.env);
    if (!report) throw new ApiError("NOT_FOUND", "Reconciliation has not run yet; it runs on the cron every few minutes");
    return c.json(report, 200);
  })
  .get(
    "/audit",
    doc({ summary: "The audit log, newest first", tags: ["admin"], response: z.object({ items: z.array(AuditView), nextCursor: z.string().nullable() }) }),
    query(AuditQuery),
    async (c) => {
      const { limit, cursor, action, targetId } = c.req.valid("query");
      const after = decodeCursor(cursor);
      const rows = await db(c.env.DB)
        .select()
        .from(auditLog)
        .where(
          and(
            action ? eq(auditLog.action, action) : undefined,
            targetId ? eq(auditLog.targetId, targetId) : undefined,
            after ? or(lt(auditLog.createdAt, after.at), and(eq(auditLog.createdAt, after.at), lt(auditLog.id, after.id))) : undefined,
          ),
        )
        .orderBy(desc(auditLog.createdAt), desc(auditLog.id))
        .limit(limit + 1);
      const result = page(rows, limit, (r) => ({ at: r.createdAt, id: r.id }));
      return c.json({ items: result.items.map(auditView), nextCursor: result.nextCursor }, 200);
    },
  );
