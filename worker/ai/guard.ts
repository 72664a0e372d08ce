/** Wraps a provider so every call has a deadline, a retry classification and a circuit breaker. */
import type { CircuitBreaker } from "./breaker";
import { ProviderError, classify } from "./errors";
import type { ImageProvider } from "./provider";

export interface GuardOptions {
  timeoutMs: number;
  breaker: CircuitBreaker;
}

/**
 * Runs `call` with a signal that aborts after `timeoutMs` or when `outer` aborts, and stops
 * waiting at that moment even if the callee ignores its signal. A caller's cancellation is
 * rethrown as the caller's own reason; everything else becomes a classified ProviderError.
 */
export async function withDeadline<T>(provider: string, timeoutMs: number, outer: AbortSignal | undefined, call: (signal: AbortSignal) => Promise<T>): Promise<T> {
  if (outer?.aborted) throw outer.reason;
  const timeout = AbortSignal.timeout(timeoutMs);
  const signal = outer ? AbortSignal.any([outer, timeout]) : timeout;
  let onAbort: (() => void) | undefined;
  const aborted = new Promise<never>((_, reject) => {
    onAbort = () => reject(signal.reason);
    signal.addEventListener("abort", onAbort, { once: true });
  });
  try {
    return await Promise.race([call(signal), aborted]);
  } catch (error) {
    if (outer?.aborted) throw outer.reason;
    if (timeout.aborted) {
      throw new ProviderError(`${provider} did not answer within ${timeoutMs} ms`, { retryable: true, provider, status: 408, cause: error });
    }
    throw classify(error, provider);
  } finally {
    if (onAbort) signal.removeEventListener("abort", onAbort);
  }
}

export function guarded(provider: ImageProvider, options: GuardOptions): ImageProvider {
  return {
    name: provider.name,
    generate: (req, signal) => options.breaker.run(() => withDeadline(provider.name, options.timeoutMs, signal, (s) => provider.generate(req, s))),
  };
}
