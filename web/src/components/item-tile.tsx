/** One item of a generation as a tile: its preview once done (a button that opens it), its error, or its state. */
import { Match, Show, Switch } from "solid-js";
import type { GenerationItem } from "../stores/generation";
import { StarButton } from "./star-button";
import { statusLabel } from "./status-badge";

export function ItemTile(props: { item: GenerationItem; name: string; openLabel: string; onOpen: () => void; onStar?: () => void; testId?: string; working?: string }) {
  const name = () => props.name;
  return (
    <li class={`tile tile--${props.item.status}`} data-testid={props.testId ?? "tile"} data-status={props.item.status}>
      <Switch>
        <Match when={props.item.status === "completed" && props.item.thumbnailUrl}>
          {(src) => (
            <button type="button" class="tile__open" onClick={() => props.onOpen()} aria-label={`${name()}: ${props.openLabel}`}>
              <img class="tile__image" src={src()} alt={name()} />
            </button>
          )}
        </Match>
        <Match when={props.item.status === "failed"}>
          <div class="tile__state">
            <span class="tile__icon" aria-hidden="true">
              !
            </span>
            <span>Failed</span>
            <Show when={props.item.error}>{(error) => <span class="tile__error">{error()}</span>}</Show>
          </div>
        </Match>
        <Match when={true}>
          <div class="tile__state" classList={{ "is-working": props.item.status === "processing" }}>
            <span>{props.item.status === "processing" ? (props.working ?? "Working…") : statusLabel(props.item.status)}</span>
          </div>
        </Match>
      </Switch>
      <Show when={props.item.status === "completed" && props.onStar}>{(onStar) => <StarButton favorite={props.item.favorite} name={name()} onToggle={onStar()} class="tile__star" />}</Show>
      <p class="tile__caption">
        <span>{name()}</span>
        <span class="tile__status">{statusLabel(props.item.status)}</span>
      </p>
    </li>
  );
}
