/** The summary beside the form: what it costs against the balance, what keeps it from being sent, and the button. */
import { Show } from "solid-js";
import { CostPreview, type CostLine } from "../../components/cost-preview";
import { ErrorNotice } from "../../components/error-notice";
import { Panel } from "../../components/panel";
import { Skeleton } from "../../components/skeleton";
import { formatCredits } from "../../lib/format";
import type { CatalogStore } from "../../stores/catalog";

export function Summary(props: {
  catalog: CatalogStore;
  cost: { lines: CostLine[]; total: number } | null;
  available: number | null;
  items: number;
  /** Why it cannot be sent yet, in words; null when it can. */
  reason: string | null;
  busy: boolean;
  error: unknown;
  onSubmit: () => void;
}) {
  const apps = props.catalog.apps;
  return (
    <Panel title="Summary" class="panel--summary" busy={!props.cost && apps.state !== "errored"}>
      <Show when={apps.state !== "errored"} fallback={<ErrorNotice error={apps.error} onRetry={props.catalog.refetch} />}>
        <Show when={props.cost} fallback={<Skeleton width="100%" height="6rem" />}>
          {(c) => <CostPreview lines={c().lines} total={c().total} available={props.available} />}
        </Show>
      </Show>
      <Show when={props.error}>
        <ErrorNotice error={props.error} urgent />
      </Show>
      {/* Its own small form: Enter in a search or name field elsewhere never starts a generation. */}
      <form
        class="summary__form"
        onSubmit={(event) => {
          event.preventDefault();
          props.onSubmit();
        }}
      >
        <button type="submit" class="button button--primary button--block" disabled={props.busy || !!props.reason} aria-describedby="pose-submit-reason">
          {props.busy ? "Starting…" : `Generate ${props.items} ${props.items === 1 ? "image" : "images"}`}
          <Show when={props.cost && !props.busy}> · {formatCredits(props.cost!.total)} credits</Show>
        </button>
        <p class="summary__reason" id="pose-submit-reason">
          {props.reason ?? "Credits are held now and charged only for images that finish."}
        </p>
      </form>
    </Panel>
  );
}
