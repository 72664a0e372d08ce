/** The project's avatars: a skeleton grid while loading, an empty state, or the cards with more on demand. */
import { For, Match, Switch } from "solid-js";
import { ErrorNotice } from "../../components/error-notice";
import { LoadMore } from "../../components/load-more";
import { EmptyState, Panel } from "../../components/panel";
import { Skeleton } from "../../components/skeleton";
import type { AvatarList } from "../../stores/avatars";
import { AvatarCard } from "./avatar-card";

const SKELETON_AVATARS = 4;

export function AvatarsPanel(props: { list: AvatarList }) {
  const list = props.list;
  return (
    <Panel title="Your avatars" class="panel--avatars" busy={list.phase() === "loading"}>
      <Switch>
        <Match when={list.phase() === "error"}>
          <ErrorNotice error={list.error()} onRetry={list.reload} />
        </Match>
        <Match when={list.phase() === "loading"}>
          <ul class="avatar-grid fill-grid" aria-hidden="true">
            <For each={Array.from({ length: SKELETON_AVATARS })}>
              {() => (
                <li class="avatar-card">
                  <span class="avatar-card__image" />
                  <Skeleton width="70%" height="1.25rem" />
                  <Skeleton width="50%" height="1rem" />
                </li>
              )}
            </For>
          </ul>
        </Match>
        <Match when={list.items().length === 0}>
          <EmptyState title="No avatars in this project yet">Upload a photo or generate a few to see them here.</EmptyState>
        </Match>
        <Match when={true}>
          <ul class="avatar-grid fill-grid" data-testid="avatars">
            <For each={list.items()}>{(avatar) => <AvatarCard avatar={avatar} list={list} />}</For>
          </ul>
          <LoadMore list={list} />
        </Match>
      </Switch>
    </Panel>
  );
}
