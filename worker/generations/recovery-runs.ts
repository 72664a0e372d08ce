/** Each recovery run is kept in D1 (from the cron or an admin) for the admin console's history. */
import type { Db } from "../db/client";
import { recoveryRuns } from "../db/schema";
import type { RecoveryReport } from "./recovery";

export const recoveryRunRow = (database: Db, report: RecoveryReport, actorId: string | null, ranAt = Date.now()) =>
  database.insert(recoveryRuns).values({ id: crypto.randomUUID(), actorId, ranAt, ...report });
