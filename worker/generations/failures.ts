/** How the consumer tells a failure worth retrying from one that never will succeed. */

/**
 * Errors that say `retryable: false` (provider 4xx, PermanentItemError) fail the item;
 * everything else — provider 5xx/429/timeouts, D1 or R2 hiccups — is retried.
 */
export function isPermanent(e: unknown): boolean {
  return typeof e === "object" && e !== null && (e as { retryable?: unknown }).retryable === false;
}

/** Exponential backoff from the delivery attempt: base, 2×base, 4×base … capped at 5 minutes. */
export const backoffSeconds = (attempts: number, baseSeconds: number) => Math.min(300, baseSeconds * 2 ** Math.max(0, attempts - 1));
