/**
 * POST /api/admin/users/:id/credits: a grant (positive) or an adjustment (negative) through
 * the user's Account object under the admin's Idempotency-Key. The object refuses to take
 * the balance below what is held; a replay credits once and writes one audit row (its id
 * comes from the key, so a retry after a lost audit write still records it once).
 */
import { Hono } from "hono";
import { z } from "zod";
import { accountOf } from "../account/client";
import { db } from "../db/client";
import { ApiError } from "../core/errors";
import type { AppEnv } from "../http/context";
import { idempotencyKey } from "../http/idempotency";
import { doc } from "../http/openapi";
import { json, params } from "../http/validate";
import { auditRow } from "./audited";
import { UserParams, userRow } from "./users";

const CreditBody = z
  .object({
    amount: z
      .number()
      .int()
      .min(-1_000_000)
      .max(1_000_000)
      .refine((n) => n !== 0, "amount must not be zero"),
    reason: z.string().trim().min(3).max(200),
  })
  .strict();

const BalanceView = z.object({ balance: z.object({ balance: z.number(), held: z.number(), available: z.number() }) });

export const adminCreditRoutes = new Hono<AppEnv>().post(
  "/:id/credits",
  doc({ summary: "Grant credits or adjust a balance, with a reason (audited)", tags: ["admin"], idempotent: true, body: CreditBody, response: BalanceView }),
  params(UserParams),
  json(CreditBody),
  async (c) => {
    const database = db(c.env.DB);
    const target = await userRow(database, c.req.valid("param").id);
    const { amount, reason } = c.req.valid("json");
    const key = idempotencyKey(c);
    const account = accountOf(c.env, target.id);
    const result = await account.credit({
      idempotencyKey: `admin:${key}`,
      amount,
      kind: amount > 0 ? "grant" : "adjustment",
      reference: { type: "admin", id: c.var.user.id },
      description: reason,
    });
    if (!result.ok) {
      switch (result.reason) {
        case "conflict":
          throw new ApiError("CONFLICT", "This Idempotency-Key was already used for a different grant");
        case "below_held":
          throw new ApiError("UNPROCESSABLE", `The balance cannot go below what is held: ${result.balance} with ${result.held} held`, { balance: result.balance, held: result.held });
        case "refund_exceeds_charge":
          // Only refunds are checked against a charge; an admin credit is never one.
          throw new ApiError("UNPROCESSABLE", "This credit was refused as a refund");
      }
    }
    const after = await account.balance();
    await auditRow(database, c, {
      id: `admin-credit:${target.id}:${key}`,
      action: "admin.credits",
      targetType: "user",
      targetId: target.id,
      before: { balance: result.entry.balanceAfter - amount },
      after: { balance: result.entry.balanceAfter, amount, reason },
    });
    return c.json({ balance: { balance: after.balance, held: after.held, available: after.available } }, 200);
  },
);
