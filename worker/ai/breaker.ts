/**
 * A circuit breaker per provider name, kept in isolate memory. After `failureThreshold`
 * consecutive retryable failures it opens and fails fast for `coolDownMs`; then one probe
 * call is let through (half-open): success closes it, failure opens it again.
 * Permanent errors (a 400 for a bad prompt) prove the provider answered, so they count as
 * health, not as failures. Nothing here does I/O; state lives and dies with the isolate.
 */
import { ProviderError } from "./errors";

export type BreakerState = "closed" | "open" | "half-open";

export interface BreakerOptions {
  failureThreshold: number;
  coolDownMs: number;
  now?: () => number;
}

export const DEFAULT_BREAKER: BreakerOptions = { failureThreshold: 5, coolDownMs: 30_000 };

export class CircuitBreaker {
  private failures = 0;
  private openedAt: number | null = null;
  private probing = false;
  private readonly now: () => number;

  constructor(
    readonly name: string,
    private readonly options: BreakerOptions,
  ) {
    this.now = options.now ?? Date.now;
  }

  get state(): BreakerState {
    if (this.openedAt === null) return "closed";
    return this.now() - this.openedAt >= this.options.coolDownMs ? "half-open" : "open";
  }

  async run<T>(call: () => Promise<T>): Promise<T> {
    const state = this.state;
    if (state === "open" || (state === "half-open" && this.probing)) throw this.rejection();
    const isProbe = state === "half-open";
    if (isProbe) this.probing = true;
    try {
      const result = await call();
      this.recordHealthy();
      return result;
    } catch (error) {
      // Anything that is not a ProviderError (the caller cancelled) says nothing about health.
      if (error instanceof ProviderError) {
        if (error.retryable) this.recordFailure(isProbe);
        else this.recordHealthy();
      }
      throw error;
    } finally {
      if (isProbe) this.probing = false;
    }
  }

  private recordHealthy(): void {
    this.failures = 0;
    this.openedAt = null;
  }

  private recordFailure(wasProbe: boolean): void {
    this.failures += 1;
    if (wasProbe || this.failures >= this.options.failureThreshold) this.openedAt = this.now();
  }

  private rejection(): ProviderError {
    const elapsed = this.openedAt === null ? 0 : this.now() - this.openedAt;
    const retryAfterMs = Math.max(0, this.options.coolDownMs - elapsed);
    return new ProviderError(`${this.name} is unavailable (circuit open); retry in ${Math.ceil(retryAfterMs / 1000)} s`, {
      retryable: true,
      provider: this.name,
      status: 503,
      retryAfterMs,
    });
  }
}

const breakers = new Map<string, CircuitBreaker>();

/** The isolate's breaker for a provider, created on first use with the options given then. */
export function breakerFor(name: string, options: BreakerOptions = DEFAULT_BREAKER): CircuitBreaker {
  let breaker = breakers.get(name);
  if (!breaker) {
    breaker = new CircuitBreaker(name, options);
    breakers.set(name, breaker);
  }
  return breaker;
}

/** The state of each provider breaker this isolate has used (health reports it; breakers are per isolate). */
export function breakerStates(): Record<string, BreakerState> {
  return Object.fromEntries([...breakers].map(([name, breaker]) => [name, breaker.state]));
}
