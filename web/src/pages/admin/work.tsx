/** Admin generations: every user's work by status, and the failed items with a retry of their generation. */
import { For, Show, createSignal } from "solid-js";
import { ErrorNotice } from "../../components/error-notice";
import { LoadMore } from "../../components/load-more";
import { Page } from "../../components/page";
import { Panel } from "../../components/panel";
import { createAction } from "../../lib/action";
import { api, call } from "../../lib/api";
import { formatRelative } from "../../lib/format";
import { createPagedList } from "../../stores/paged-list";

const STATUSES = ["", "queued", "processing", "completed", "partial", "failed", "cancelled"] as const;

export function Work() {
  const [status, setStatus] = createSignal<(typeof STATUSES)[number]>("");
  const generations = createPagedList((cursor) => call(api.admin.generations.$get({ query: { limit: "50", cursor, status: status() || undefined } })));
  const dead = createPagedList(async (cursor) => {
    const page = await call(api.admin["dead-letters"].$get({ query: { limit: "50", cursor } }));
    return { ...page, items: page.items.map((d) => ({ ...d, id: `${d.generationId}:${d.itemKey}` })) };
  });
  const retrying = createAction();

  const retry = (generationId: string) =>
    retrying.run(async () => {
      const { generation } = await call(api.admin.generations[":id"].retry.$post({ param: { id: generationId } }, { headers: { "Idempotency-Key": crypto.randomUUID() } }));
      await generations.reload();
      return `Retrying ${generation.total} failed item(s) as generation ${generation.id}; only what completes is charged.`;
    }, generationId);

  return (
    <Page title="Generations">
      <div class="stack">
        <Show when={retrying.done()}>
          <p class="notice notice--success" role="status">
            {retrying.done()}
          </p>
        </Show>
        <Show when={retrying.error()}>
          <ErrorNotice error={retrying.error()} urgent />
        </Show>
        <Panel
          title="Failed items"
          actions={
            <button type="button" class="button button--secondary button--small" onClick={() => void dead.reload()}>
              Refresh
            </button>
          }
        >
          <table class="admin__table" data-testid="admin-dead-letters">
            <thead>
              <tr>
                <th>App</th>
                <th>Item</th>
                <th>Last error</th>
                <th>Attempts</th>
                <th>Failed</th>
                <th />
              </tr>
            </thead>
            <tbody>
              <For each={dead.items()}>
                {(d) => (
                  <tr>
                    <td>{d.appId}</td>
                    <td class="admin__mono">{d.id}</td>
                    <td>{d.error}</td>
                    <td class="num">{d.attempts}</td>
                    <td>{d.failedAt ? formatRelative(d.failedAt) : "—"}</td>
                    <td>
                      <button type="button" class="button button--secondary button--small" disabled={retrying.busy()} onClick={() => void retry(d.generationId)}>
                        {retrying.target() === d.generationId ? "Retrying…" : "Retry"}
                      </button>
                    </td>
                  </tr>
                )}
              </For>
            </tbody>
          </table>
          <LoadMore list={dead} />
        </Panel>
        <Panel
          title="All generations"
          actions={
            <select
              class="field__select"
              aria-label="Status"
              value={status()}
              onChange={(e) => {
                setStatus(e.currentTarget.value as (typeof STATUSES)[number]);
                void generations.reload();
              }}
            >
              {STATUSES.map((s) => (
                <option value={s}>{s || "any status"}</option>
              ))}
            </select>
          }
        >
          <table class="admin__table">
            <thead>
              <tr>
                <th>App</th>
                <th>Status</th>
                <th>Items</th>
                <th>Charged</th>
                <th>Error</th>
                <th>Started</th>
              </tr>
            </thead>
            <tbody>
              <For each={generations.items()}>
                {(g) => (
                  <tr>
                    <td>{g.appId}</td>
                    <td>
                      <span class={`badge badge--${g.status}`}>{g.status}</span>
                    </td>
                    <td class="num">
                      {g.completed}/{g.total}
                    </td>
                    <td class="num">{g.charged ?? "—"}</td>
                    <td>{g.error ?? ""}</td>
                    <td>{formatRelative(g.createdAt)}</td>
                  </tr>
                )}
              </For>
            </tbody>
          </table>
          <LoadMore list={generations} />
        </Panel>
      </div>
    </Page>
  );
}
