/** /api/account: the signed-in user's data, to take with them (export) or to erase (delete). */
import { Hono } from "hono";
import { z } from "zod";
import { confirmPassword } from "../auth/settings";
import { requireAuth } from "../auth/middleware";
import { errorMessage } from "../core/errors";
import { log } from "../core/log";
import type { AppEnv } from "../http/context";
import { doc } from "../http/openapi";
import { hitLimit } from "../http/rate-limit";
import { json } from "../http/validate";
import { beginErasure, runErasure } from "./erase";
import { exportArchive } from "./export";
import { EXPORTS_PER_HOUR, exportLimitKey } from "./limits";

const DeleteBody = z.object({ password: z.string().min(1).max(128) });
/** How long the request itself works on an erasure before leaving the rest to the cron. */
const ERASE_IN_REQUEST_MS = 10_000;

export const accountDataRoutes = new Hono<AppEnv>()
  .use(requireAuth)
  .get("/export", doc({ summary: "A ZIP of my data: profile, ledger, orders, generations and my files", tags: ["account"] }), async (c) => {
    await hitLimit(c.env.DB, { key: exportLimitKey(c.var.user.id), limit: EXPORTS_PER_HOUR, windowSeconds: 3600 });
    return exportArchive(c.env, c.var.user);
  })
  .delete(
    "/",
    doc({
      summary: "Delete my account: login stops at once, then every row, file and ledger entry of mine is erased",
      tags: ["account"],
      response: z.object({ status: z.enum(["erased", "erasing"]) }),
      status: 202,
    }),
    json(DeleteBody),
    async (c) => {
      await confirmPassword(c, c.req.valid("json").password);
      await beginErasure(c.env, c.var.user);
      // Whatever this request does not finish (a failure, a deadline), the cron does.
      const status = await runErasure(c.env, c.var.config, c.var.user.id, { deadline: Date.now() + ERASE_IN_REQUEST_MS }).catch((e: unknown) => {
        log("warn", "account.erase_deferred", { userId: c.var.user.id, error: errorMessage(e) });
        return "erasing" as const;
      });
      return c.json({ status }, 202);
    },
  );
