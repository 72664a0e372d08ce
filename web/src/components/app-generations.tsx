/** An app's generations, newest first: status, progress and what each cost, each a link to its results. */
import { A } from "@solidjs/router";
import { For, Show } from "solid-js";
import { api, call } from "../lib/api";
import { formatCredits, formatRelative } from "../lib/format";
import { createPagedList } from "../stores/paged-list";
import { ownGenerationPath, type Generation } from "../stores/studio";
import { ErrorNotice } from "./error-notice";
import { LoadMore } from "./load-more";
import { EmptyState, Panel } from "./panel";
import { StatusBadge } from "./status-badge";

const PAGE_SIZE = "10";

/** Charged once settled; until then, what is held for it. */
const costText = (g: Generation) => (g.charged !== null ? `${formatCredits(g.charged)} credits charged` : `${formatCredits(g.cost)} credits held`);

export function AppGenerations(props: { appId: string }) {
  const list = createPagedList<Generation>((cursor) => call(api.generations.$get({ query: { appId: props.appId, limit: PAGE_SIZE, ...(cursor ? { cursor } : {}) } })));
  return (
    <Panel title="Your generations" class="panel--app-generations" busy={list.phase() === "loading"}>
      <Show when={list.phase() !== "error"} fallback={<ErrorNotice error={list.error()} onRetry={list.reload} />}>
        <Show when={list.items().length > 0 || list.phase() === "loading"} fallback={<EmptyState title="No generations yet">What you make here is listed with its status and cost.</EmptyState>}>
          <ul class="rows" data-testid="app-generations">
            <For each={list.items()}>
              {(g) => (
                <li class="row row--link">
                  <div class="row__main">
                    <p class="row__title">
                      <A href={ownGenerationPath(g) ?? `/generations/${g.id}`} class="row__link">
                        {g.completed} of {g.total} done
                      </A>
                    </p>
                    <p class="row__meta">
                      {costText(g)} · {formatRelative(g.createdAt)}
                    </p>
                  </div>
                  <StatusBadge status={g.status} />
                </li>
              )}
            </For>
          </ul>
        </Show>
        <LoadMore list={list} />
      </Show>
    </Panel>
  );
}
