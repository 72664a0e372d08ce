import { describe, expect, it } from "vitest";
import { z } from "zod";
import { CircuitBreaker } from "../../worker/ai/breaker";
import { ProviderError, classify, isRetryableStatus } from "../../worker/ai/errors";
import { guarded, withDeadline } from "../../worker/ai/guard";
import type { ImageProvider } from "../../worker/ai/provider";

describe("classification", () => {
  it("retries timeouts, throttling and server faults; not other client errors", () => {
    for (const status of [408, 429, 500, 502, 503, 504]) expect(isRetryableStatus(status), String(status)).toBe(true);
    for (const status of [400, 401, 403, 404, 413, 422]) expect(isRetryableStatus(status), String(status)).toBe(false);
  });

  it("classifies thrown things", () => {
    expect(classify(new DOMException("timed out", "TimeoutError"), "p")).toMatchObject({ retryable: true, status: 408 });
    expect(classify(new DOMException("aborted", "AbortError"), "p")).toMatchObject({ retryable: true });
    expect(classify(new TypeError("Network connection lost"), "p")).toMatchObject({ retryable: true });
    expect(classify(z.object({ image: z.string() }).safeParse({}).error, "p")).toMatchObject({ retryable: false });
    const known = new ProviderError("x", { retryable: false, provider: "p" });
    expect(classify(known, "p")).toBe(known);
  });
});

describe("deadline", () => {
  it("gives up after timeoutMs with a retryable error, even if the callee ignores its signal", async () => {
    const started = Date.now();
    const error = await withDeadline("slow", 50, undefined, () => new Promise(() => undefined)).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ProviderError);
    expect(error).toMatchObject({ retryable: true, status: 408, provider: "slow" });
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it("hands the callee an aborting signal", async () => {
    let seen: AbortSignal | undefined;
    await withDeadline("p", 30, undefined, (signal) => {
      seen = signal;
      return new Promise((_, reject) => signal.addEventListener("abort", () => reject(signal.reason)));
    }).catch(() => undefined);
    expect(seen?.aborted).toBe(true);
  });

  it("passes the caller's cancellation through as is", async () => {
    const controller = new AbortController();
    const pending = withDeadline("p", 5_000, controller.signal, () => new Promise(() => undefined));
    controller.abort(new Error("user cancelled"));
    await expect(pending).rejects.toThrow("user cancelled");
  });

  it("trips the breaker through a guarded provider after repeated timeouts", async () => {
    const hang: ImageProvider = { name: "hang", generate: () => new Promise(() => undefined) };
    const breaker = new CircuitBreaker("hang", { failureThreshold: 2, coolDownMs: 60_000 });
    const provider = guarded(hang, { timeoutMs: 20, breaker });
    const request = { prompt: "x", seed: 1, width: 64, height: 64 };
    for (let i = 0; i < 2; i++) await provider.generate(request).catch(() => undefined);
    expect(breaker.state).toBe("open");
    await expect(provider.generate(request)).rejects.toThrow(/circuit open/);
  });
});
