/**
 * The gateway's notification (POST /api/billing/callback, form-encoded, Duitku's fields).
 * It is trusted only after: the merchant code is ours, the md5 signature over the raw
 * fields matches (constant time), the order exists, the amount is the order's, and the
 * gateway's own status check agrees. Any rejection is logged with the request id and
 * changes nothing; every valid notification, repeated or not, is answered 200.
 */
import { z } from "zod";
import { ProviderError } from "../ai/errors";
import type { Config } from "../config/config";
import { db } from "../db/client";
import { ApiError } from "../core/errors";
import { log } from "../core/log";
import { applyConfirmation } from "./fulfil";
import { type PaymentGateway, type PaymentState, RESULT_FAILED, RESULT_PAID, type StatusCheck } from "./gateway";
import { findOrder, type OrderRow } from "./orders";
import { merchantKeys } from "./select";
import { callbackSignature, sameHex } from "./signature";

const FORM_TYPE = /^application\/x-www-form-urlencoded$/i;

const field = (max: number) => z.string().max(max).optional();

export const CallbackFields = z.object({
  merchantCode: z.string().min(1).max(64),
  amount: z.string().regex(/^\d{1,12}$/, "amount must be whole rupiah"),
  merchantOrderId: z.string().min(1).max(64),
  resultCode: z.enum([RESULT_PAID, RESULT_FAILED]),
  signature: z.string().regex(/^[0-9a-fA-F]{32}$/, "signature must be an md5 hex digest"),
  reference: field(100),
  productDetail: field(255),
  additionalParam: field(255),
  paymentCode: field(10),
  merchantUserId: field(255),
  publisherOrderId: field(100),
  spUserHash: field(255),
  settlementDate: field(40),
  issuerCode: field(40),
});
export type CallbackFields = z.infer<typeof CallbackFields>;

export interface CallbackOutcome {
  order: OrderRow;
  /** What the gateway confirmed (pending: it did not confirm the notification yet). */
  confirmed: PaymentState;
}

function reject(requestId: string, reason: string, error: ApiError, orderId?: string): never {
  log("warn", "billing.callback_rejected", { requestId, reason, orderId, status: error.status });
  throw error;
}

/** Reads the form as sent: each field once, values untouched (the signature is over them). */
async function readForm(request: Request, requestId: string): Promise<CallbackFields> {
  const type = (request.headers.get("Content-Type") ?? "").split(";")[0]!.trim();
  if (!FORM_TYPE.test(type)) reject(requestId, "content_type", new ApiError("UNSUPPORTED_MEDIA_TYPE", "Send the notification as application/x-www-form-urlencoded"));
  const params = new URLSearchParams(await request.text());
  const fields: Record<string, string> = {};
  for (const [name, value] of params) {
    if (name in fields) reject(requestId, "duplicate_field", new ApiError("VALIDATION_ERROR", `The field ${name} appears more than once`));
    fields[name] = value;
  }
  const parsed = CallbackFields.safeParse(fields);
  if (!parsed.success) {
    const message = parsed.error.issues.map((i) => `${i.path.join(".")} ${i.message}`).join("; ");
    reject(requestId, "invalid_fields", new ApiError("VALIDATION_ERROR", `Invalid notification: ${message}`));
  }
  return parsed.data;
}

export async function receiveCallback(env: Env, config: Config, gateway: PaymentGateway, request: Request, requestId: string): Promise<CallbackOutcome> {
  const keys = merchantKeys(config);
  const form = await readForm(request, requestId);
  const expected = await callbackSignature(keys.merchantCode, form.amount, form.merchantOrderId, keys.apiKey);
  // Both checks run whatever the first said, so timing tells nothing about which one failed.
  const merchantOk = form.merchantCode === keys.merchantCode;
  const signatureOk = sameHex(expected, form.signature);
  if (!merchantOk || !signatureOk) {
    reject(requestId, merchantOk ? "bad_signature" : "wrong_merchant", new ApiError("INVALID_SIGNATURE", "The notification's signature or merchant code is not valid"), form.merchantOrderId);
  }

  const order = await findOrder(db(env.DB), form.merchantOrderId);
  if (!order) reject(requestId, "unknown_order", new ApiError("NOT_FOUND", "No such order"), form.merchantOrderId);
  if (Number(form.amount) !== order.amount) {
    reject(requestId, "amount_mismatch", new ApiError("UNPROCESSABLE", "The amount does not match the order"), order.id);
  }

  const claimed: PaymentState = form.resultCode === RESULT_PAID ? "paid" : "failed";
  let check: StatusCheck;
  try {
    check = await gateway.checkStatus(order.id, claimed);
  } catch (e) {
    log("error", "billing.status_check_failed", { requestId, orderId: order.id, error: e instanceof Error ? e.message : String(e) });
    const retryAfter = e instanceof ProviderError && e.retryAfterMs ? Math.ceil(e.retryAfterMs / 1000) : 30;
    throw new ApiError("SERVICE_UNAVAILABLE", "The payment could not be confirmed with the gateway yet; send it again later", undefined, { "Retry-After": String(retryAfter) });
  }
  if (check.amount !== null && check.amount !== order.amount) {
    reject(requestId, "status_amount_mismatch", new ApiError("UNPROCESSABLE", "The gateway reports another amount for this order"), order.id);
  }
  if (check.state !== claimed) log("warn", "billing.callback_unconfirmed", { requestId, orderId: order.id, claimed, confirmed: check.state });
  const updated = await applyConfirmation(env, order, { state: check.state, paymentMethod: form.paymentCode ?? null, source: "callback", requestId });
  return { order: updated, confirmed: check.state };
}
