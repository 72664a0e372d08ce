/** The neutral screen while the session is being restored; mirrors the static markup in index.html. */
import { Show } from "solid-js";
import { BrandMark } from "./brand";

export function Splash(props: { onRetry?: () => void }) {
  return (
    <div class="splash" aria-busy={props.onRetry ? undefined : "true"}>
      <BrandMark size={40} />
      <Show when={props.onRetry} fallback={<p class="splash__text">Loading Lumiku…</p>}>
        <div class="splash__problem" role="alert">
          <p class="splash__title">Lumiku cannot be reached</p>
          <p class="splash__text">Check your connection, then try again.</p>
          <button type="button" class="button button--primary" onClick={() => props.onRetry?.()}>
            Try again
          </button>
        </div>
      </Show>
    </div>
  );
}
