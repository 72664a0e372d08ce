/** Renders any failure as a readable message from the contract's error shape, with the right way out. */
import { A } from "@solidjs/router";
import { Show, createEffect, createMemo, createSignal, onCleanup } from "solid-js";
import { ApiError } from "../lib/api";
import { formatWait } from "../lib/format";

export interface ErrorInfo {
  title: string;
  message: string;
  status: number;
  requestId: string | null;
  retryAt: number | null;
}

export function describeError(error: unknown): ErrorInfo {
  if (!(error instanceof ApiError)) {
    return { title: "Something went wrong", message: "An unexpected error happened in this page. Reload to try again.", status: -1, requestId: null, retryAt: null };
  }
  const retryAt = error.retryAfter === null ? null : Date.now() + error.retryAfter * 1000;
  const base = { status: error.status, requestId: error.requestId, retryAt };
  switch (true) {
    case error.status === 0:
      return { ...base, title: "You seem to be offline", message: error.message };
    case error.status === 402:
      return { ...base, title: "Not enough credits", message: error.message };
    case error.code === "APP_DISABLED":
      return { ...base, title: "This app is paused", message: error.message };
    case error.status === 429:
      return { ...base, title: "Slow down a little", message: "Too many requests in a short time." };
    case error.status >= 500:
      return { ...base, title: "Lumiku is having trouble", message: error.message };
    default:
      return { ...base, title: "That did not work", message: error.message };
  }
}

export function ErrorNotice(props: { error: unknown; onRetry?: () => void; urgent?: boolean }) {
  const info = createMemo(() => describeError(props.error));
  const [now, setNow] = createSignal(Date.now());
  createEffect(() => {
    if (info().retryAt === null) return;
    const timer = window.setInterval(() => setNow(Date.now()), 1000);
    onCleanup(() => window.clearInterval(timer));
  });
  /** Seconds until a 429's Retry-After has passed. */
  const wait = () => {
    const at = info().retryAt;
    return at === null ? 0 : Math.max(0, Math.ceil((at - now()) / 1000));
  };
  const canRetry = () => !!props.onRetry;
  const showReference = () => !!info().requestId && info().status >= 500;
  return (
    <div class="notice notice--error" role={props.urgent ? "alert" : "status"}>
      <p class="notice__title">{info().title}</p>
      <p class="notice__text">
        {info().message}
        <Show when={info().status === 429}> {wait() > 0 ? `Try again in ${formatWait(wait())}.` : "You can try again now."}</Show>
      </p>
      <Show when={info().status === 402 || canRetry() || showReference()}>
        <div class="notice__actions">
          <Show when={info().status === 402}>
            <A class="button button--primary button--small" href="/credits">
              Get credits
            </A>
          </Show>
          <Show when={canRetry()}>
            <button type="button" class="button button--secondary button--small" disabled={wait() > 0} onClick={() => props.onRetry?.()}>
              Retry
            </button>
          </Show>
          <Show when={showReference()}>
            <span class="notice__ref">Reference {info().requestId}</span>
          </Show>
        </div>
      </Show>
    </div>
  );
}
