/** Sessions: where this account is signed in; end one, or every other. */
import { For, Match, Show, Switch, createSignal } from "solid-js";
import { ErrorNotice } from "../components/error-notice";
import { Page } from "../components/page";
import { Panel } from "../components/panel";
import { Skeleton } from "../components/skeleton";
import { LoadMore } from "../components/load-more";
import { api, call, type Data } from "../lib/api";
import { describeDevice, formatDateTime, formatRelative } from "../lib/format";
import { createPagedList } from "../stores/paged-list";

type Session = Data<typeof api.auth.sessions.$get>["items"][number];

const SKELETON_ROWS = 2;

export default function Sessions() {
  const sessions = createPagedList((cursor) => call(api.auth.sessions.$get({ query: { limit: "50", cursor } })));
  const [pending, setPending] = createSignal<string | null>(null);
  const [actionError, setActionError] = createSignal<unknown>(null);
  const [message, setMessage] = createSignal<string | null>(null);
  const others = () => sessions.items().filter((s) => !s.current);

  async function act(key: string, work: () => Promise<string>) {
    setPending(key);
    setActionError(null);
    setMessage(null);
    try {
      setMessage(await work());
    } catch (e) {
      setActionError(e);
    } finally {
      setPending(null);
    }
  }

  const revoke = (s: Session) =>
    act(s.id, async () => {
      await call(api.auth.sessions[":id"].$delete({ param: { id: s.id } }));
      sessions.replaceItems((items) => items.filter((i) => i.id !== s.id));
      return `Logged out ${describeDevice(s.userAgent)}.`;
    });

  const revokeOthers = () =>
    act("others", async () => {
      const { revoked } = await call(api.auth.sessions.$delete());
      sessions.replaceItems((items) => items.filter((i) => i.current));
      return revoked === 1 ? "Logged out 1 other device." : `Logged out ${revoked} other devices.`;
    });

  return (
    <Page
      title="Sessions"
      lead="Devices where you are logged in. End any you do not recognise."
      actions={
        <button type="button" class="button button--danger" disabled={pending() !== null || sessions.phase() === "loading" || others().length === 0} onClick={revokeOthers}>
          {pending() === "others" ? "Logging out…" : "Log out other devices"}
        </button>
      }
    >
      <div class="stack">
        {/* Always present, so screen readers announce what changes in it; out of the grid flow. */}
        <p class="visually-hidden" aria-live="polite">
          {message()}
        </p>
        <Show when={message()}>
          <p class="notice notice--success" aria-hidden="true">
            {message()}
          </p>
        </Show>
        <Show when={actionError()}>
          <ErrorNotice error={actionError()} urgent />
        </Show>
        <Panel title="Active sessions" busy={sessions.phase() === "loading"}>
          <Switch>
            <Match when={sessions.phase() === "error"}>
              <ErrorNotice error={sessions.error()} onRetry={sessions.reload} />
            </Match>
            <Match when={sessions.phase() === "loading"}>
              <ul class="rows" aria-hidden="true">
                <For each={Array.from({ length: SKELETON_ROWS })}>
                  {() => (
                    <li class="row row--session">
                      <div class="row__main">
                        <Skeleton width="45%" height="var(--row-title)" />
                        <Skeleton width="70%" height="var(--row-meta)" />
                      </div>
                    </li>
                  )}
                </For>
              </ul>
            </Match>
            <Match when={true}>
              <ul class="rows" data-testid="sessions">
                <For each={sessions.items()}>
                  {(s) => (
                    <li class="row row--session">
                      <div class="row__main">
                        <p class="row__title">
                          {describeDevice(s.userAgent)}
                          <Show when={s.current}>
                            <span class="badge badge--accent">This device</span>
                          </Show>
                        </p>
                        <p class="row__meta">
                          Signed in{" "}
                          <time datetime={s.createdAt} title={formatDateTime(s.createdAt)}>
                            {formatRelative(s.createdAt)}
                          </time>{" "}
                          · last active{" "}
                          <time datetime={s.lastUsedAt} title={formatDateTime(s.lastUsedAt)}>
                            {formatRelative(s.lastUsedAt)}
                          </time>
                        </p>
                      </div>
                      <Show when={!s.current}>
                        <button
                          type="button"
                          class="button button--secondary button--small"
                          disabled={pending() !== null}
                          onClick={() => void revoke(s)}
                          aria-label={`Log out ${describeDevice(s.userAgent)}, signed in ${formatRelative(s.createdAt)}`}
                        >
                          {pending() === s.id ? "Logging out…" : "Log out"}
                        </button>
                      </Show>
                    </li>
                  )}
                </For>
              </ul>
              <LoadMore list={sessions} />
            </Match>
          </Switch>
        </Panel>
      </div>
    </Page>
  );
}
