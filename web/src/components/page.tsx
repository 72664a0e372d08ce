/** A page's heading (and document title), with optional lead text and actions. */
import { Show, type JSX } from "solid-js";

export function Page(props: { title: string; lead?: JSX.Element; actions?: JSX.Element; children: JSX.Element }) {
  document.title = `${props.title} · Lumiku`;
  return (
    <div class="page">
      <header class="page__header">
        <div>
          <h1 class="page__title">{props.title}</h1>
          <Show when={props.lead}>
            <p class="page__lead">{props.lead}</p>
          </Show>
        </div>
        <Show when={props.actions}>
          <div class="page__actions">{props.actions}</div>
        </Show>
      </header>
      {props.children}
    </div>
  );
}
