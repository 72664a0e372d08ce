/** One generation: live progress, tiles that fill in as items finish, final charges, full-size view, downloads and cancel. */
import { A, Navigate, useParams } from "@solidjs/router";
import { For, Show, createMemo, createSignal } from "solid-js";
import { ErrorNotice } from "../components/error-notice";
import { ItemTile } from "../components/item-tile";
import { Loaded } from "../components/loaded";
import { OutputViewer } from "../components/output-viewer";
import { Page } from "../components/page";
import { EmptyState, Panel } from "../components/panel";
import { ProgressBar } from "../components/progress-bar";
import { Skeleton } from "../components/skeleton";
import { StatusBadge } from "../components/status-badge";
import { createAction } from "../lib/action";
import { ApiError } from "../lib/api";
import { formatCredits, formatDateTime, formatRelative } from "../lib/format";
import { createGenerationStore, isFinished, type GenerationDetail } from "../stores/generation";
import { appLabel, appPath, ownGenerationPath } from "../stores/studio";

const SKELETON_TILES = 4;
/** Tiles keep the shape of the app's images, so a thumbnail arriving never moves anything. */
const TILE_ASPECT: Record<string, string> = { "pose-generator": "3 / 4" };

const isNotFound = (e: unknown) => e instanceof ApiError && e.status === 404;

function Figures(props: { g: GenerationDetail }) {
  const done = () => isFinished(props.g);
  return (
    <dl class="figures">
      <div class="figure">
        <dt class="stat__label">Reserved</dt>
        <dd class="stat__value figure__value" data-testid="cost">
          {formatCredits(props.g.cost)}
        </dd>
      </div>
      <div class="figure">
        <dt class="stat__label">Charged</dt>
        <dd class="stat__value figure__value" data-testid="charged">
          {done() && props.g.charged !== null ? formatCredits(props.g.charged) : "—"}
        </dd>
      </div>
      <div class="figure">
        <dt class="stat__label">Refunded</dt>
        <dd class="stat__value figure__value" classList={{ "is-positive": done() && (props.g.refunded ?? 0) > 0 }} data-testid="refunded">
          {done() && props.g.refunded !== null ? formatCredits(props.g.refunded) : "—"}
        </dd>
      </div>
    </dl>
  );
}

function Summary(props: { g: GenerationDetail }) {
  const g = () => props.g;
  const queued = () => g().total - g().completed - g().failed - g().cancelled;
  const text = () => {
    const parts = [`${g().completed} of ${g().total} done`];
    if (g().failed) parts.push(`${g().failed} failed`);
    if (g().cancelled) parts.push(`${g().cancelled} cancelled`);
    if (!isFinished(g()) && queued() > 0) parts.push(`${queued()} to go`);
    return parts.join(" · ");
  };
  const outcome = () => {
    if (!isFinished(g()) || g().charged === null) return "Credits are held while the images are made; only finished images are charged.";
    if (g().refunded) return `Charged ${formatCredits(g().charged ?? 0)} of ${formatCredits(g().cost)} credits; ${formatCredits(g().refunded ?? 0)} went back to your balance.`;
    return `Charged ${formatCredits(g().charged ?? 0)} credits.`;
  };
  return (
    <div class="gen-summary">
      <div class="gen-summary__head">
        <StatusBadge status={g().status} />
        <p class="gen-summary__counts" aria-live="polite" data-testid="generation-counts">
          {text()}
        </p>
      </div>
      <ProgressBar label="Generation progress" total={g().total} completed={g().completed} failed={g().failed + g().cancelled} />
      <Figures g={g()} />
      <p class="panel__text" data-testid="generation-outcome">
        {outcome()}
      </p>
    </div>
  );
}

function NotFound() {
  return (
    <Page title="Generation not found">
      <EmptyState title="There is no generation at this address.">
        It may have been deleted, or it belongs to another account. <A href="/">Go to the dashboard</A>
      </EmptyState>
    </Page>
  );
}

function GenerationSkeleton() {
  return (
    <div class="stack" aria-hidden="true">
      <Panel title="Progress">
        <Skeleton width="40%" height="var(--row-title)" />
        <Skeleton width="100%" height="0.75rem" />
        <Skeleton width="100%" height="3.5rem" />
      </Panel>
      <Panel title="Images">
        <ul class="tiles fill-grid">
          <For each={Array.from({ length: SKELETON_TILES })}>
            {() => (
              <li class="tile">
                <div class="tile__state" />
              </li>
            )}
          </For>
        </ul>
      </Panel>
    </div>
  );
}

function GenerationView(props: { store: ReturnType<typeof createGenerationStore> }) {
  const [open, setOpen] = createSignal<string | null>(null);
  const cancelling = createAction();
  const [starError, setStarError] = createSignal<unknown>(null);
  const g = props.store.generation;

  async function star(key: string) {
    setStarError(null);
    try {
      await props.store.toggleFavorite(key);
    } catch (e) {
      setStarError(e);
    }
  }

  const cancel = () => cancelling.run(() => props.store.cancel());

  return (
    <Loaded of={g} onRetry={props.store.refetch} skeleton={<GenerationSkeleton />}>
      {(value) => {
        const items = () => value().items ?? [];
        const openItem = createMemo(() => items().find((i) => i.key === open()) ?? null);
        const openIndex = () => items().findIndex((i) => i.key === open());
        const canCancel = () => !isFinished(value()) && items().some((i) => i.status === "queued");
        const back = () => appPath(value().appId);
        const elsewhere = ownGenerationPath(value());
        if (elsewhere) return <Navigate href={elsewhere} />;
        return (
          <div class="stack">
            <Panel
              title="Progress"
              actions={
                <Show when={canCancel()}>
                  <button type="button" class="button button--danger button--small" disabled={cancelling.busy()} onClick={() => void cancel()}>
                    {cancelling.busy() ? "Cancelling…" : "Cancel queued images"}
                  </button>
                </Show>
              }
            >
              <Show when={cancelling.error()}>
                <ErrorNotice error={cancelling.error()} urgent />
              </Show>
              <Summary g={value()} />
            </Panel>
            <Panel
              title="Images"
              actions={
                <Show when={back()}>
                  {(path) => (
                    <A class="panel__link" href={`${path()}?project=${encodeURIComponent(value().projectId)}`}>
                      Back to {appLabel(value().appId)}
                    </A>
                  )}
                </Show>
              }
            >
              <ul class="tiles fill-grid" style={{ "--tile-aspect": TILE_ASPECT[value().appId] ?? "1 / 1" }}>
                <For each={items()}>
                  {(item, index) => <ItemTile item={item} name={`Image ${index() + 1}`} openLabel="open full size and downloads" onOpen={() => setOpen(item.key)} onStar={() => void star(item.key)} />}
                </For>
              </ul>
              <Show when={starError()}>
                <div role="alert">
                  <p class="panel__text">The star could not be saved; it is back as it was.</p>
                  <ErrorNotice error={starError()} />
                </div>
              </Show>
              <p class="panel__text">
                Started <time datetime={value().createdAt}>{formatRelative(value().createdAt)}</time>
                <Show when={value().finishedAt}>
                  {(at) => (
                    <>
                      {" "}
                      · finished <time datetime={at()}>{formatDateTime(at())}</time>
                    </>
                  )}
                </Show>
              </p>
            </Panel>
            <OutputViewer item={openItem()} title={`Image ${openIndex() + 1}`} fileStem={`lumiku-${value().id.slice(0, 8)}-${openIndex() + 1}`} onClose={() => setOpen(null)} />
          </div>
        );
      }}
    </Loaded>
  );
}

export default function Generation() {
  const params = useParams();
  const store = createGenerationStore(() => params.id ?? "");
  const notFound = () => store.generation.state === "errored" && isNotFound(store.generation.error);
  return (
    <Show when={!notFound()} fallback={<NotFound />}>
      <Page title="Generation" lead={<Lead store={store} />}>
        <GenerationView store={store} />
      </Page>
    </Show>
  );
}

function Lead(props: { store: ReturnType<typeof createGenerationStore> }) {
  const g = () => {
    const r = props.store.generation;
    return r.state === "ready" || r.state === "refreshing" ? r.latest : undefined;
  };
  return <>{g() ? `${appLabel(g()!.appId)} · ${g()!.total} ${g()!.total === 1 ? "image" : "images"}` : "Loading…"}</>;
}
