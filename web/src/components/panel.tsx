/** A titled region of a page; `busy` tells assistive tech its content is still loading. */
import { Show, createUniqueId, type JSX } from "solid-js";

export function Panel(props: { title: string; actions?: JSX.Element; busy?: boolean; class?: string; children: JSX.Element }) {
  const id = createUniqueId();
  return (
    <section class={`panel ${props.class ?? ""}`} aria-labelledby={id} aria-busy={props.busy ? "true" : undefined}>
      <header class="panel__header">
        <h2 id={id} class="panel__title">
          {props.title}
        </h2>
        <Show when={props.actions}>
          <div class="panel__actions">{props.actions}</div>
        </Show>
      </header>
      {props.children}
    </section>
  );
}

export function EmptyState(props: { title: string; children?: JSX.Element }) {
  return (
    <div class="empty">
      <p class="empty__title">{props.title}</p>
      <Show when={props.children}>
        <p class="empty__text">{props.children}</p>
      </Show>
    </div>
  );
}
