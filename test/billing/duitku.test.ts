import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { CircuitBreaker } from "../../worker/ai/breaker";
import { ProviderError } from "../../worker/ai/errors";
import { createDuitkuGateway, DUITKU_URLS } from "../../worker/billing/duitku";
import { fakeDuitku } from "./fake-duitku";
import { API_KEY, MERCHANT } from "./harness";

const invoice = {
  orderId: "0b1c2d3e-0000-4000-8000-000000000001",
  amount: 15_000,
  productDetails: "Starter credit package",
  email: "ada@example.com",
  customerName: "Ada Lovelace",
  callbackUrl: "https://lumiku.test/api/billing/callback",
  returnUrl: "https://lumiku.test/credits?order=0b1c2d3e-0000-4000-8000-000000000001",
  expiryMinutes: 60,
};

const gatewayOn = (fake: ReturnType<typeof fakeDuitku>, extra: { timeoutMs?: number; breaker?: CircuitBreaker } = {}) =>
  createDuitkuGateway({
    merchantCode: MERCHANT,
    apiKey: API_KEY,
    environment: "sandbox",
    fetch: fake.fetch,
    breaker: extra.breaker ?? new CircuitBreaker(`duitku-${crypto.randomUUID()}`, { failureThreshold: 5, coolDownMs: 60_000 }),
    ...(extra.timeoutMs ? { timeoutMs: extra.timeoutMs } : {}),
  });

const failureOf = (p: Promise<unknown>) =>
  p.then(
    () => null,
    (e: unknown) => e,
  );

describe("the Duitku POP gateway", () => {
  it("creates an invoice with the signed headers and the documented body", async () => {
    const fake = fakeDuitku(MERCHANT, API_KEY);
    const result = await gatewayOn(fake).createInvoice(invoice);
    expect(result).toEqual({ reference: "DS1TEST", paymentUrl: "https://app-sandbox.duitku.com/redirect_checkout?reference=DS1TEST" });
    expect(fake.calls).toEqual([DUITKU_URLS.sandbox.invoice]);
    expect(fake.invoices[0]!.body).toEqual({
      paymentAmount: 15_000,
      merchantOrderId: invoice.orderId,
      productDetails: invoice.productDetails,
      email: invoice.email,
      customerVaName: invoice.customerName,
      callbackUrl: invoice.callbackUrl,
      returnUrl: invoice.returnUrl,
      expiryPeriod: 60,
    });
    expect(fake.invoices[0]!.headers["x-duitku-timestamp"]).toMatch(/^\d{13}$/);
  });

  it("is refused by Duitku when the signature is made with another key", async () => {
    const fake = fakeDuitku(MERCHANT, "another-api-key-0123456789abcdef");
    const error = await failureOf(gatewayOn(fake).createInvoice(invoice));
    expect(error).toBeInstanceOf(ProviderError);
    expect(error).toMatchObject({ retryable: false, status: 401 });
  });

  it("turns a refused invoice (statusCode other than 00) into a permanent error", async () => {
    const fake = fakeDuitku(MERCHANT, API_KEY);
    fake.mode = "refuse";
    expect(await failureOf(gatewayOn(fake).createInvoice(invoice))).toMatchObject({ retryable: false, message: expect.stringContaining("Minimum payment") });
  });

  it("reads transaction status 00/01/02 as paid/pending/failed, with the amount", async () => {
    const fake = fakeDuitku(MERCHANT, API_KEY);
    const gateway = gatewayOn(fake);
    for (const [statusCode, state] of [
      ["00", "paid"],
      ["01", "pending"],
      ["02", "failed"],
    ] as const) {
      fake.statuses.set(invoice.orderId, { statusCode, amount: 15_000 });
      expect(await gateway.checkStatus(invoice.orderId, null)).toEqual({ state, amount: 15_000, reference: "DS1TEST" });
    }
  });

  it("classifies failures: unreachable and 5xx are retryable, a 4xx is not", async () => {
    const fake = fakeDuitku(MERCHANT, API_KEY);
    const gateway = gatewayOn(fake);
    fake.mode = "unreachable";
    expect(await failureOf(gateway.createInvoice(invoice))).toMatchObject({ retryable: true });
    fake.mode = "error-500";
    expect(await failureOf(gateway.createInvoice(invoice))).toMatchObject({ retryable: true, status: 500 });
    fake.mode = "up";
    expect(await failureOf(gateway.checkStatus("no-such-order", null))).toMatchObject({ retryable: false, status: 400 });
  });

  it("retries a status read once, never an invoice", async () => {
    const fake = fakeDuitku(MERCHANT, API_KEY);
    const gateway = gatewayOn(fake);
    fake.mode = "error-500";
    await failureOf(gateway.checkStatus(invoice.orderId, null));
    expect(fake.calls).toEqual([DUITKU_URLS.sandbox.status, DUITKU_URLS.sandbox.status]);
    fake.calls.length = 0;
    await failureOf(gateway.createInvoice(invoice));
    expect(fake.calls).toEqual([DUITKU_URLS.sandbox.invoice]);
  });

  it("gives up on a gateway that never answers after its deadline", async () => {
    const fake = fakeDuitku(MERCHANT, API_KEY);
    fake.mode = "hang";
    const error = await failureOf(gatewayOn(fake, { timeoutMs: 50 }).createInvoice(invoice));
    expect(error).toMatchObject({ retryable: true, status: 408, message: expect.stringContaining("did not answer within 50 ms") });
  });

  it("opens its circuit after repeated failures and stops calling until the cool-down ends", async () => {
    const fake = fakeDuitku(MERCHANT, API_KEY);
    const breaker = new CircuitBreaker("duitku-breaker-test", { failureThreshold: 3, coolDownMs: 60_000 });
    const gateway = gatewayOn(fake, { breaker });
    fake.mode = "unreachable";
    for (let i = 0; i < 3; i++) await failureOf(gateway.createInvoice(invoice));
    expect(breaker.state).toBe("open");
    fake.calls.length = 0;
    fake.mode = "up";
    expect(await failureOf(gateway.createInvoice(invoice))).toMatchObject({ retryable: true, status: 503, message: expect.stringContaining("circuit open") });
    expect(fake.calls).toEqual([]);
  });

  it("uses the production endpoints when DUITKU_ENV is production", async () => {
    const fake = fakeDuitku(MERCHANT, API_KEY, "production");
    const gateway = createDuitkuGateway({
      merchantCode: MERCHANT,
      apiKey: API_KEY,
      environment: "production",
      fetch: fake.fetch,
      breaker: new CircuitBreaker("duitku-prod", { failureThreshold: 5, coolDownMs: 1000 }),
    });
    await gateway.createInvoice(invoice);
    expect(fake.calls).toEqual([DUITKU_URLS.production.invoice]);
    expect(env.DUITKU_MERCHANT_CODE).toBe(MERCHANT);
  });
});
