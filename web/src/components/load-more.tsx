/** The footer of a paged list: the next page's error with a retry, or the button that loads it. */
import { Show } from "solid-js";
import type { createPagedList } from "../stores/paged-list";
import { ErrorNotice } from "./error-notice";

type PagedList = Pick<ReturnType<typeof createPagedList>, "phase" | "error" | "hasMore" | "loadMore">;

export function LoadMore(props: { list: PagedList; label?: string }) {
  return (
    <>
      <Show when={props.list.phase() === "moreError"}>
        <ErrorNotice error={props.list.error()} onRetry={props.list.loadMore} />
      </Show>
      <Show when={props.list.hasMore() && props.list.phase() !== "moreError"}>
        <div class="load-more">
          <button type="button" class="button button--secondary" disabled={props.list.phase() === "loadingMore"} onClick={props.list.loadMore}>
            {props.list.phase() === "loadingMore" ? "Loading…" : (props.label ?? "Load more")}
          </button>
        </div>
      </Show>
    </>
  );
}
