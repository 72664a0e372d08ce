/**
 * One interface for whoever takes the money: Duitku (POP) or the offline sandbox. Failures
 * are ProviderErrors (retryable or not), so the circuit breaker and the callers treat a
 * payment gateway like any other upstream.
 */
export type PaymentState = "paid" | "failed" | "pending";

export interface InvoiceRequest {
  orderId: string;
  amount: number;
  productDetails: string;
  email: string;
  customerName: string;
  /** Where the gateway posts its notification. */
  callbackUrl: string;
  /** Where the payer's browser goes back to. */
  returnUrl: string;
  expiryMinutes: number;
}

export interface Invoice {
  reference: string;
  paymentUrl: string;
}

export interface StatusCheck {
  state: PaymentState;
  /** What the gateway says was paid, when it says (compared with the order's amount). */
  amount: number | null;
  reference: string | null;
}

export interface PaymentGateway {
  readonly name: "sandbox" | "duitku";
  createInvoice(request: InvoiceRequest): Promise<Invoice>;
  /**
   * The gateway's own word on an order. `claimed` is what a verified notification says;
   * only the sandbox, which plays the gateway, may lean on it.
   */
  checkStatus(orderId: string, claimed: PaymentState | null): Promise<StatusCheck>;
}

/** Callback `resultCode`: 00 paid, 01 failed. */
export const RESULT_PAID = "00";
export const RESULT_FAILED = "01";
