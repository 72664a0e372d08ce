/**
 * Duitku POP over fetch: createInvoice signs its headers with
 * sha256(merchantCode + timestamp + apiKey); transactionStatus signs its body with
 * md5(merchantCode + merchantOrderId + apiKey). Every call has a deadline, a retry
 * classification and the "duitku" circuit breaker. Reading a status is safe to repeat, so it
 * is retried once; creating an invoice is not (a retry could open a second one).
 */
import { z } from "zod";
import { breakerFor, type CircuitBreaker } from "../ai/breaker";
import { isRetryableStatus, ProviderError } from "../ai/errors";
import { withDeadline } from "../ai/guard";
import type { Invoice, InvoiceRequest, PaymentGateway, PaymentState, StatusCheck } from "./gateway";
import { popSignature, statusSignature } from "./signature";

const NAME = "duitku";

export const DUITKU_URLS = {
  sandbox: {
    invoice: "https://api-sandbox.duitku.com/api/merchant/createInvoice",
    status: "https://sandbox.duitku.com/webapi/api/merchant/transactionStatus",
  },
  production: {
    invoice: "https://api-prod.duitku.com/api/merchant/createInvoice",
    status: "https://passport.duitku.com/webapi/api/merchant/transactionStatus",
  },
} as const;

export interface DuitkuOptions {
  merchantCode: string;
  apiKey: string;
  environment: keyof typeof DUITKU_URLS;
  /** Injectable for tests; defaults to the global fetch. */
  fetch?: typeof fetch;
  timeoutMs?: number;
  /** Default: the isolate's "duitku" breaker, shared by every request. */
  breaker?: CircuitBreaker;
  now?: () => number;
}

const InvoiceAnswer = z.object({
  merchantCode: z.string().optional(),
  reference: z.string().min(1).max(100).nullish(),
  paymentUrl: z.url({ protocol: /^https?$/ }).nullish(),
  statusCode: z.string(),
  statusMessage: z.string().optional(),
});

/** transactionStatus statusCode: 00 success, 01 still in process, 02 failed or cancelled. */
const STATUS_STATES: Record<string, PaymentState> = { "00": "paid", "01": "pending", "02": "failed" };

const StatusAnswer = z.object({
  merchantOrderId: z.string(),
  reference: z.string().nullish(),
  amount: z.union([z.string(), z.number()]).nullish(),
  statusCode: z.string(),
  statusMessage: z.string().nullish(),
});

async function failure(response: Response): Promise<ProviderError> {
  const text = (await response.text().catch(() => "")).slice(0, 500);
  return new ProviderError(`${NAME}: ${response.status} ${text || response.statusText}`.trim(), {
    retryable: isRetryableStatus(response.status),
    provider: NAME,
    status: response.status,
  });
}

export function createDuitkuGateway(options: DuitkuOptions): PaymentGateway {
  const urls = DUITKU_URLS[options.environment];
  const doFetch = options.fetch ?? ((input: RequestInfo | URL, init?: RequestInit) => fetch(input, init));
  const now = options.now ?? Date.now;
  const timeoutMs = options.timeoutMs ?? 10_000;
  const breaker = options.breaker ?? breakerFor(NAME);

  /** One guarded POST of JSON, answered with JSON parsed by `schema`. */
  const post = <S extends z.ZodType>(url: string, headers: Record<string, string>, body: unknown, schema: S) =>
    breaker.run(() =>
      withDeadline(NAME, timeoutMs, undefined, async (signal) => {
        const response = await doFetch(url, {
          method: "POST",
          headers: { Accept: "application/json", "Content-Type": "application/json", ...headers },
          body: JSON.stringify(body),
          signal,
        });
        if (!response.ok) throw await failure(response);
        return schema.parse(await response.json()) as z.output<S>;
      }),
    );

  return {
    name: NAME,
    async createInvoice(request: InvoiceRequest): Promise<Invoice> {
      const timestamp = String(now());
      const answer = await post(
        urls.invoice,
        {
          "x-duitku-signature": await popSignature(options.merchantCode, timestamp, options.apiKey),
          "x-duitku-timestamp": timestamp,
          "x-duitku-merchantcode": options.merchantCode,
        },
        {
          paymentAmount: request.amount,
          merchantOrderId: request.orderId,
          productDetails: request.productDetails,
          email: request.email,
          customerVaName: request.customerName,
          callbackUrl: request.callbackUrl,
          returnUrl: request.returnUrl,
          expiryPeriod: request.expiryMinutes,
        },
        InvoiceAnswer,
      );
      if (answer.statusCode !== "00" || !answer.reference || !answer.paymentUrl) {
        throw new ProviderError(`${NAME}: invoice refused (${answer.statusCode} ${answer.statusMessage ?? ""})`.trim(), { retryable: false, provider: NAME });
      }
      return { reference: answer.reference, paymentUrl: answer.paymentUrl };
    },

    async checkStatus(orderId: string): Promise<StatusCheck> {
      const body = { merchantCode: options.merchantCode, merchantOrderId: orderId, signature: await statusSignature(options.merchantCode, orderId, options.apiKey) };
      let answer: z.output<typeof StatusAnswer>;
      try {
        answer = await post(urls.status, {}, body, StatusAnswer);
      } catch (e) {
        if (!(e instanceof ProviderError) || !e.retryable || e.status === 503) throw e;
        answer = await post(urls.status, {}, body, StatusAnswer);
      }
      const state = STATUS_STATES[answer.statusCode];
      if (!state || answer.merchantOrderId !== orderId) {
        throw new ProviderError(`${NAME}: unexpected status answer ${answer.statusCode} for ${answer.merchantOrderId}`, { retryable: false, provider: NAME });
      }
      const amount = answer.amount === null || answer.amount === undefined ? null : Number(answer.amount);
      return { state, amount: amount !== null && Number.isFinite(amount) ? amount : null, reference: answer.reference ?? null };
    },
  };
}
