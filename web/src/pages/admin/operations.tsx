/** Admin operations: app switches, recovery (run now, history), reconciliation drift and the audit log. */
import { For, Show, createResource, createSignal } from "solid-js";
import { ErrorNotice } from "../../components/error-notice";
import { LoadMore } from "../../components/load-more";
import { Page } from "../../components/page";
import { Panel } from "../../components/panel";
import { ApiError, api, call } from "../../lib/api";
import { formatDateTime, formatRelative } from "../../lib/format";
import { createPagedList } from "../../stores/paged-list";

export function Operations() {
  const [apps, { refetch: refetchApps }] = createResource(() => call(api.admin.apps.$get()));
  const [runs, { refetch: refetchRuns }] = createResource(() => call(api.admin.recovery.$get()));
  // No report yet (404) is a state of its own, not a failure.
  const [drift] = createResource(() => call(api.admin.reconciliation.$get()).catch((e: unknown) => (e instanceof ApiError && e.status === 404 ? null : Promise.reject(e))));
  const audit = createPagedList((cursor) => call(api.admin.audit.$get({ query: { limit: "50", cursor } })));
  const [error, setError] = createSignal<unknown>(null);
  const [busy, setBusy] = createSignal(false);

  async function act(work: () => Promise<unknown>) {
    setBusy(true);
    setError(null);
    try {
      await work();
      await Promise.all([refetchApps(), refetchRuns(), audit.reload()]);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  }

  const toggle = (id: string, enabled: boolean) =>
    act(() => {
      const message = enabled ? "" : (window.prompt("Message users see while it is off", "This app is paused for maintenance") ?? "");
      return call(api.admin.apps[":appId"].$patch({ param: { appId: id }, json: { enabled, message } }));
    });

  return (
    <Page title="Operations">
      <div class="stack">
        <Show when={error()}>
          <ErrorNotice error={error()} urgent />
        </Show>
        <Panel title="Apps">
          <ul class="rows">
            <For each={apps()?.apps}>
              {(a) => (
                <li class="row">
                  <div class="row__main">
                    <p class="row__title">
                      {a.name} <span class={`badge badge--${a.enabled ? "completed" : "failed"}`}>{a.enabled ? "on" : "off"}</span>
                    </p>
                    <p class="row__meta">{a.message || (a.available ? "Taking generations" : "Not open yet")}</p>
                  </div>
                  <button type="button" class="button button--secondary button--small" disabled={busy()} onClick={() => void toggle(a.id, !a.enabled)}>
                    {a.enabled ? "Switch off" : "Switch on"}
                  </button>
                </li>
              )}
            </For>
          </ul>
        </Panel>
        <Panel
          title="Recovery"
          actions={
            <button type="button" class="button button--primary button--small" disabled={busy()} onClick={() => void act(() => call(api.admin.recovery.$post()))}>
              Run now
            </button>
          }
        >
          <table class="admin__table">
            <thead>
              <tr>
                <th>Ran</th>
                <th>By</th>
                <th>Re-sent</th>
                <th>Failed</th>
                <th>Finalized</th>
                <th>Released</th>
                <th>Errors</th>
              </tr>
            </thead>
            <tbody>
              <For each={runs()?.items}>
                {(r) => (
                  <tr>
                    <td title={formatDateTime(r.ranAt)}>{formatRelative(r.ranAt)}</td>
                    <td>{r.actorId ? "admin" : "cron"}</td>
                    <td class="num">{r.requeued}</td>
                    <td class="num">{r.failed}</td>
                    <td class="num">{r.finalized}</td>
                    <td class="num">{r.released}</td>
                    <td class="num">{r.errors}</td>
                  </tr>
                )}
              </For>
            </tbody>
          </table>
        </Panel>
        <Panel title="Reconciliation">
          <Show when={!drift.error} fallback={<ErrorNotice error={drift.error} />}>
            <Show when={drift()} fallback={<p class="panel__text">Reconciliation has not run yet; the cron runs it every few minutes.</p>}>
              {(r) => (
                <>
                  <p class="panel__text">
                    Last run {formatRelative(r().ranAt)}: {r().checked} accounts checked, {r().drift.length} findings.
                  </p>
                  <ul class="rows">
                    <For each={r().drift}>
                      {(f) => (
                        <li class="row">
                          <div class="row__main">
                            <p class="row__title">{f.kind}</p>
                            <p class="row__meta">
                              user {f.userId}: expected {String(f.expected)}, found {String(f.actual)}
                            </p>
                          </div>
                        </li>
                      )}
                    </For>
                  </ul>
                </>
              )}
            </Show>
          </Show>
        </Panel>
        <Panel title="Audit log">
          <table class="admin__table" data-testid="admin-audit">
            <thead>
              <tr>
                <th>When</th>
                <th>Action</th>
                <th>Target</th>
                <th>Before → after</th>
              </tr>
            </thead>
            <tbody>
              <For each={audit.items()}>
                {(a) => (
                  <tr>
                    <td title={formatDateTime(a.createdAt)}>{formatRelative(a.createdAt)}</td>
                    <td>{a.action}</td>
                    <td class="admin__mono">
                      {a.targetType ?? ""} {a.targetId ?? ""}
                    </td>
                    <td class="admin__mono">
                      {JSON.stringify(a.before)} → {JSON.stringify(a.after)}
                    </td>
                  </tr>
                )}
              </For>
            </tbody>
          </table>
          <LoadMore list={audit} />
        </Panel>
      </div>
    </Page>
  );
}
