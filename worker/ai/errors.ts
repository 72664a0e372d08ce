/**
 * Provider failures and their retry classification: the queue consumer retries what is
 * retryable (with backoff) and fails the item at once on anything else.
 */
import { ZodError } from "zod";

export class ProviderError extends Error {
  readonly retryable: boolean;
  /** The upstream HTTP status (or the status Workers AI documents for its error code). */
  readonly status?: number;
  readonly provider: string;
  /** How long to wait before trying again, when the upstream or the breaker said so. */
  readonly retryAfterMs?: number;

  constructor(message: string, options: { retryable: boolean; provider: string; status?: number; retryAfterMs?: number; cause?: unknown }) {
    super(message, { cause: options.cause });
    this.name = "ProviderError";
    this.retryable = options.retryable;
    this.provider = options.provider;
    if (options.status !== undefined) this.status = options.status;
    if (options.retryAfterMs !== undefined) this.retryAfterMs = options.retryAfterMs;
  }
}

/** Timeouts, throttling and server faults pass; other client errors will fail the same way again. */
export function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 425 || status === 429 || status >= 500;
}

function isAbort(error: unknown): boolean {
  return error instanceof Error && (error.name === "AbortError" || error.name === "TimeoutError");
}

/** Turns anything a provider call threw into a classified ProviderError. */
export function classify(error: unknown, provider: string): ProviderError {
  if (error instanceof ProviderError) return error;
  if (isAbort(error)) {
    return new ProviderError(`${provider} timed out or was aborted`, { retryable: true, provider, status: 408, cause: error });
  }
  if (error instanceof ZodError) {
    return new ProviderError(`${provider} returned an invalid response`, { retryable: false, provider, cause: error });
  }
  // fetch rejects with a TypeError when the network fails: the request may never have arrived.
  if (error instanceof TypeError) {
    return new ProviderError(`${provider} could not be reached: ${error.message}`, { retryable: true, provider, cause: error });
  }
  // Unknown failures (binding errors without a known code, runtime faults) get the benefit of
  // the doubt: retries are bounded by the queue's max_retries and by the circuit breaker.
  const message = error instanceof Error ? error.message : String(error);
  return new ProviderError(`${provider} failed: ${message}`, { retryable: true, provider, cause: error });
}
