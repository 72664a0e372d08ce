/** One output in the gallery: its thumbnail (opens full size), a select box for the ZIP and its star. */
import { Show } from "solid-js";
import { StarButton } from "../../components/star-button";
import { statusLabel } from "../../components/status-badge";
import { formatRelative } from "../../lib/format";
import type { GalleryItem } from "../../stores/gallery";
import { appLabel } from "../../stores/studio";

export function GalleryTile(props: { item: GalleryItem; selected: boolean; canSelect: boolean; onSelect: () => void; onOpen: () => void; onStar: () => void }) {
  const name = () => `${appLabel(props.item.appId)} ${props.item.key}`;
  const image = () => props.item.thumbnailUrl ?? props.item.posterUrl ?? null;
  const done = () => props.item.status === "completed";
  return (
    <li class="gallery-tile" classList={{ "is-selected": props.selected }} data-testid="gallery-tile" data-key={props.item.key} data-generation={props.item.generationId}>
      <Show
        when={done() && image()}
        fallback={
          <div class="tile__state gallery-tile__media">
            <span>{statusLabel(props.item.status)}</span>
            <Show when={props.item.error}>{(error) => <span class="tile__error">{error()}</span>}</Show>
          </div>
        }
      >
        {(src) => (
          <button type="button" class="tile__open gallery-tile__media" onClick={() => props.onOpen()} aria-label={`${name()}: open full size and downloads`}>
            <img class="tile__image" src={src()} alt={props.item.prompt ?? name()} loading="lazy" />
          </button>
        )}
      </Show>
      <Show when={done()}>
        <div class="gallery-tile__controls">
          <label class="gallery-tile__select">
            <input type="checkbox" checked={props.selected} disabled={!props.selected && !props.canSelect} onChange={() => props.onSelect()} data-testid="select" />
            <span class="visually-hidden">Select {name()} for the ZIP</span>
          </label>
          <StarButton favorite={props.item.favorite} name={name()} onToggle={props.onStar} />
        </div>
      </Show>
      <div class="gallery-tile__caption">
        <p class="gallery-tile__app">
          {appLabel(props.item.appId)} · <time datetime={props.item.createdAt}>{formatRelative(props.item.createdAt)}</time>
        </p>
        <Show when={props.item.prompt}>{(prompt) => <p class="gallery-tile__prompt">{prompt()}</p>}</Show>
      </div>
    </li>
  );
}
