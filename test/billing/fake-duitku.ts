/**
 * A local stand-in for Duitku's POP and transaction-status endpoints, answering as their
 * documentation shows, checking the same signatures, and able to fail the ways a remote
 * service does (unreachable, 5xx, never answering).
 */
import { DUITKU_URLS } from "../../worker/billing/duitku";
import { md5Hex } from "./harness";

export type FakeMode = "up" | "unreachable" | "error-500" | "hang" | "refuse";

async function sha256Hex(text: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join("");
}

export interface FakeDuitku {
  fetch: typeof fetch;
  mode: FakeMode;
  /** statusCode per merchantOrderId for transactionStatus: 00 paid, 01 in process, 02 failed. */
  statuses: Map<string, { statusCode: string; amount: number }>;
  invoices: Array<{ body: Record<string, unknown>; headers: Record<string, string> }>;
  calls: string[];
}

const json = (body: unknown, status = 200) => new Response(JSON.stringify(body), { status, headers: { "Content-Type": "application/json" } });

export function fakeDuitku(merchantCode: string, apiKey: string, environment: keyof typeof DUITKU_URLS = "sandbox"): FakeDuitku {
  const urls = DUITKU_URLS[environment];
  const fake: FakeDuitku = {
    mode: "up",
    statuses: new Map(),
    invoices: [],
    calls: [],
    fetch: async (input: RequestInfo | URL, init?: RequestInit) => {
      const request = new Request(input, init);
      fake.calls.push(request.url);
      if (fake.mode === "unreachable") throw new TypeError("Network connection lost.");
      if (fake.mode === "hang") {
        return new Promise<Response>((_, reject) => request.signal.addEventListener("abort", () => reject(request.signal.reason)));
      }
      if (fake.mode === "error-500") return new Response("upstream exploded", { status: 500 });
      const body = (await request.json()) as Record<string, unknown>;
      if (request.url === urls.invoice) {
        const timestamp = request.headers.get("x-duitku-timestamp") ?? "";
        const expected = await sha256Hex(merchantCode + timestamp + apiKey);
        if (request.headers.get("x-duitku-merchantcode") !== merchantCode || request.headers.get("x-duitku-signature") !== expected) {
          return json({ Message: "Wrong signature" }, 401);
        }
        if (fake.mode === "refuse") return json({ statusCode: "01", statusMessage: "Minimum payment 10000 IDR" });
        fake.invoices.push({ body, headers: Object.fromEntries(request.headers) });
        const reference = `DS${fake.invoices.length}TEST`;
        return json({ merchantCode, reference, paymentUrl: `https://app-sandbox.duitku.com/redirect_checkout?reference=${reference}`, statusCode: "00", statusMessage: "SUCCESS" });
      }
      if (request.url === urls.status) {
        const orderId = String(body.merchantOrderId);
        if (body.merchantCode !== merchantCode || body.signature !== (await md5Hex(merchantCode + orderId + apiKey))) return json({ Message: "Wrong signature" }, 401);
        const status = fake.statuses.get(orderId);
        if (!status) return json({ Message: "Transaction not found" }, 400);
        return json({ merchantOrderId: orderId, reference: "DS1TEST", amount: String(status.amount), fee: "0.00", statusCode: status.statusCode, statusMessage: "ok" });
      }
      return new Response("not found", { status: 404 });
    },
  };
  return fake;
}
