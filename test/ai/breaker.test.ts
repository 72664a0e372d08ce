import { describe, expect, it } from "vitest";
import { CircuitBreaker, breakerFor } from "../../worker/ai/breaker";
import { ProviderError } from "../../worker/ai/errors";

const transient = () => Promise.reject(new ProviderError("upstream 503", { retryable: true, provider: "fake", status: 503 }));
const permanent = () => Promise.reject(new ProviderError("bad prompt", { retryable: false, provider: "fake", status: 400 }));
const ok = () => Promise.resolve("image");
const settle = (p: Promise<unknown>) =>
  p.then(
    () => null,
    (e: unknown) => e,
  );

function clockedBreaker() {
  let now = 1_000;
  const breaker = new CircuitBreaker("fake", { failureThreshold: 3, coolDownMs: 10_000, now: () => now });
  return { breaker, advance: (ms: number) => (now += ms) };
}

describe("CircuitBreaker", () => {
  it("opens after N consecutive retryable failures and then fails fast without calling", async () => {
    const { breaker } = clockedBreaker();
    for (let i = 0; i < 3; i++) await settle(breaker.run(transient));
    expect(breaker.state).toBe("open");
    let called = false;
    const error = await settle(
      breaker.run(() => {
        called = true;
        return ok();
      }),
    );
    expect(called).toBe(false);
    expect(error).toBeInstanceOf(ProviderError);
    expect(error).toMatchObject({ retryable: true, status: 503, retryAfterMs: 10_000 });
  });

  it("a success in between resets the count", async () => {
    const { breaker } = clockedBreaker();
    await settle(breaker.run(transient));
    await settle(breaker.run(transient));
    await breaker.run(ok);
    await settle(breaker.run(transient));
    await settle(breaker.run(transient));
    expect(breaker.state).toBe("closed");
  });

  it("does not count permanent errors: the provider answered", async () => {
    const { breaker } = clockedBreaker();
    for (let i = 0; i < 5; i++) await settle(breaker.run(permanent));
    expect(breaker.state).toBe("closed");
  });

  it("half-opens after the cool-down, lets one probe through, and closes on its success", async () => {
    const { breaker, advance } = clockedBreaker();
    for (let i = 0; i < 3; i++) await settle(breaker.run(transient));
    advance(10_000);
    expect(breaker.state).toBe("half-open");
    let release: (v: string) => void = () => undefined;
    const probe = breaker.run(() => new Promise<string>((r) => (release = r)));
    // While the probe is in flight everyone else still fails fast.
    expect(await settle(breaker.run(ok))).toBeInstanceOf(ProviderError);
    release("image");
    await expect(probe).resolves.toBe("image");
    expect(breaker.state).toBe("closed");
    await expect(breaker.run(ok)).resolves.toBe("image");
  });

  it("re-opens for a full cool-down when the probe fails", async () => {
    const { breaker, advance } = clockedBreaker();
    for (let i = 0; i < 3; i++) await settle(breaker.run(transient));
    advance(10_000);
    await settle(breaker.run(transient));
    expect(breaker.state).toBe("open");
    advance(9_999);
    expect(breaker.state).toBe("open");
    advance(1);
    expect(breaker.state).toBe("half-open");
  });

  it("ignores the caller's own cancellation", async () => {
    const { breaker } = clockedBreaker();
    for (let i = 0; i < 5; i++) await settle(breaker.run(() => Promise.reject(new DOMException("cancelled", "AbortError"))));
    expect(breaker.state).toBe("closed");
  });

  it("keeps one breaker per provider name, created on first use", () => {
    expect(breakerFor("breaker-test-a")).toBe(breakerFor("breaker-test-a"));
    expect(breakerFor("breaker-test-a")).not.toBe(breakerFor("breaker-test-b"));
  });
});
