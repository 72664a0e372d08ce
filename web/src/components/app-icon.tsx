/** The catalog's icon names as small line icons; an unknown name falls back to the app's initial. */
import { Show, type JSX } from "solid-js";

/** Functions, not elements: Solid JSX is real DOM, and one node cannot sit in two cards. */
const PATHS: Record<string, () => JSX.Element> = {
  "user-circle": () => (
    <>
      <circle cx="12" cy="12" r="9" />
      <circle cx="12" cy="10" r="3" />
      <path d="M6.5 18.5c1.2-2.2 3.2-3.5 5.5-3.5s4.3 1.3 5.5 3.5" />
    </>
  ),
  figure: () => (
    <>
      <circle cx="12" cy="4.5" r="2" />
      <path d="M12 7v7M12 14l-3 6M12 14l3 6M6 10l6-2 6 2" />
    </>
  ),
  layers: () => (
    <>
      <path d="M12 3l9 5-9 5-9-5 9-5z" />
      <path d="M3 13l9 5 9-5" />
    </>
  ),
  repeat: () => (
    <>
      <path d="M17 2l3 3-3 3" />
      <path d="M4 11V9a4 4 0 0 1 4-4h12" />
      <path d="M7 22l-3-3 3-3" />
      <path d="M20 13v2a4 4 0 0 1-4 4H4" />
    </>
  ),
  film: () => (
    <>
      <rect x="3" y="4" width="18" height="16" rx="2" />
      <path d="M7 4v16M17 4v16M3 9h4M3 15h4M17 9h4M17 15h4" />
    </>
  ),
};

export function AppIcon(props: { name: string; label: string }) {
  return (
    <span class="app-icon" aria-hidden="true">
      <Show when={PATHS[props.name]} fallback={<span class="app-icon__letter">{props.label.charAt(0)}</span>}>
        {(draw) => (
          <svg aria-hidden="true" viewBox="0 0 24 24" width="22" height="22" fill="none" stroke="currentColor" stroke-width="1.8" stroke-linecap="round" stroke-linejoin="round">
            {draw()()}
          </svg>
        )}
      </Show>
    </span>
  );
}
