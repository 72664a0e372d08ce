/**
 * The offline sandbox gateway (development and test only; production refuses it). Its
 * invoice is a page of this Worker, /sandbox/pay/:reference, where the payer picks Pay or
 * Fail; that choice is its record, and its status check answers from it. Without a record,
 * a verified notification is taken at its word: the sandbox plays the gateway, so tests
 * and tools may send their own signed callbacks.
 */
import { desc, eq } from "drizzle-orm";
import { db } from "../db/client";
import { sandboxPayments } from "../db/billing";
import { toHex } from "../core/digest";
import { RESULT_PAID, type PaymentGateway, type PaymentState } from "./gateway";

export const SANDBOX_PAGE = "/sandbox/pay/";

/** An opaque, unguessable reference, like a real gateway's: it is the only key to the payment page. */
const newReference = () => `SBX${toHex(crypto.getRandomValues(new Uint8Array(12))).toUpperCase()}`;

export function createSandboxGateway(env: Env): PaymentGateway {
  return {
    name: "sandbox",
    async createInvoice(request) {
      const reference = newReference();
      return { reference, paymentUrl: `${new URL(request.callbackUrl).origin}${SANDBOX_PAGE}${reference}` };
    },
    async checkStatus(orderId, claimed) {
      const record = await db(env.DB).select().from(sandboxPayments).where(eq(sandboxPayments.orderId, orderId)).orderBy(desc(sandboxPayments.decidedAt)).limit(1).get();
      const state: PaymentState = record ? (record.resultCode === RESULT_PAID ? "paid" : "failed") : (claimed ?? "pending");
      return { state, amount: null, reference: record?.reference ?? null };
    },
  };
}
