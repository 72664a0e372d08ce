/** One user for an admin: balance and holds, credit grants (confirmed first), role and tags, sessions. */
import { For, Show, createResource, createSignal } from "solid-js";
import { ErrorNotice } from "../../components/error-notice";
import { Page } from "../../components/page";
import { Panel } from "../../components/panel";
import { api, call } from "../../lib/api";
import { describeDevice, formatCredits, formatRelative, formatSignedCredits } from "../../lib/format";

export function UserDetail(props: { id: string }) {
  const [detail, { refetch }] = createResource(
    () => props.id,
    (id) => call(api.admin.users[":id"].$get({ param: { id } })),
  );
  const [amount, setAmount] = createSignal("");
  const [reason, setReason] = createSignal("");
  const [confirming, setConfirming] = createSignal(false);
  const [tags, setTags] = createSignal<string | null>(null);
  const [busy, setBusy] = createSignal(false);
  const [error, setError] = createSignal<unknown>(null);
  const [done, setDone] = createSignal<string | null>(null);
  // One key per confirmed grant: a retried click after a lost answer credits once.
  let grantKey = crypto.randomUUID();

  async function act(work: () => Promise<string>) {
    setBusy(true);
    setError(null);
    setDone(null);
    try {
      setDone(await work());
      await refetch();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  }

  const grant = () =>
    act(async () => {
      const n = Number(amount());
      const { balance } = await call(api.admin.users[":id"].credits.$post({ param: { id: props.id }, json: { amount: n, reason: reason() } }, { headers: { "Idempotency-Key": grantKey } }));
      grantKey = crypto.randomUUID();
      setConfirming(false);
      setAmount("");
      setReason("");
      return `${formatSignedCredits(n)} credits applied; the balance is now ${formatCredits(balance.balance)}.`;
    });

  const saveTags = () =>
    act(async () => {
      const list = (tags() ?? "")
        .split(",")
        .map((t) => t.trim())
        .filter(Boolean);
      await call(api.admin.users[":id"].$patch({ param: { id: props.id }, json: { tags: list } }));
      setTags(null);
      return "Tags saved.";
    });

  const setRole = (role: "user" | "admin") =>
    act(async () => {
      await call(api.admin.users[":id"].$patch({ param: { id: props.id }, json: { role } }));
      return `Role is now ${role}.`;
    });

  const revoke = () =>
    act(async () => {
      await call(api.admin.users[":id"].sessions.revoke.$post({ param: { id: props.id } }));
      return "Every session of this user has ended.";
    });

  const valid = () => Number.isInteger(Number(amount())) && Number(amount()) !== 0 && reason().trim().length >= 3;

  return (
    <Show when={!detail.error} fallback={<ErrorNotice error={detail.error} />}>
      <Show when={detail()}>
        {(d) => (
          <Page title={d().user.name} lead={`${d().user.email} · ${d().user.role}`}>
            <div class="stack">
              <Show when={done()}>
                <p class="notice notice--success" role="status">
                  {done()}
                </p>
              </Show>
              <Show when={error()}>
                <ErrorNotice error={error()} urgent />
              </Show>
              <div class="admin__charts">
                <Panel title="Credits">
                  <dl class="admin__figures">
                    <div>
                      <dt>Balance</dt>
                      <dd class="num" data-testid="admin-user-balance">
                        {d().balance.balance}
                      </dd>
                    </div>
                    <div>
                      <dt>Held</dt>
                      <dd class="num">{d().balance.held}</dd>
                    </div>
                    <div>
                      <dt>Available</dt>
                      <dd class="num">{d().balance.available}</dd>
                    </div>
                  </dl>
                  <form
                    class="form"
                    onSubmit={(e) => {
                      e.preventDefault();
                      if (valid()) setConfirming(true);
                    }}
                  >
                    <label class="field">
                      <span class="field__label">Amount (negative to take back)</span>
                      <input class="field__input field__input--number" type="number" step="1" value={amount()} onInput={(e) => setAmount(e.currentTarget.value)} disabled={confirming()} />
                    </label>
                    <label class="field">
                      <span class="field__label">Reason</span>
                      <input class="field__input" value={reason()} onInput={(e) => setReason(e.currentTarget.value)} maxLength={200} disabled={confirming()} />
                    </label>
                    <Show
                      when={confirming()}
                      fallback={
                        <button type="submit" class="button button--primary" disabled={!valid() || busy()}>
                          Grant credits…
                        </button>
                      }
                    >
                      <p class="notice notice--warning">
                        {formatSignedCredits(Number(amount()))} credits to {d().user.email}, because “{reason()}”?
                      </p>
                      <div class="admin__actions">
                        <button type="button" class="button button--primary" disabled={busy()} onClick={() => void grant()}>
                          Confirm
                        </button>
                        <button type="button" class="button button--secondary" disabled={busy()} onClick={() => setConfirming(false)}>
                          Cancel
                        </button>
                      </div>
                    </Show>
                  </form>
                </Panel>
                <Panel title="Role, tags and sessions">
                  <div class="stack">
                    <div class="admin__actions">
                      <button type="button" class="button button--secondary button--small" disabled={busy()} onClick={() => void setRole(d().user.role === "admin" ? "user" : "admin")}>
                        {d().user.role === "admin" ? "Make user" : "Make admin"}
                      </button>
                      <button type="button" class="button button--danger button--small" disabled={busy()} onClick={() => void revoke()}>
                        {d().sessions.length === 1 ? "End its 1 session" : `End all ${d().sessions.length} sessions`}
                      </button>
                    </div>
                    <label class="field">
                      <span class="field__label">Tags (comma separated)</span>
                      <input class="field__input" value={tags() ?? d().user.tags.join(", ")} onInput={(e) => setTags(e.currentTarget.value)} />
                    </label>
                    <button type="button" class="button button--secondary button--small" disabled={busy() || tags() === null} onClick={() => void saveTags()}>
                      Save tags
                    </button>
                    <ul class="rows">
                      <For each={d().sessions}>
                        {(s) => (
                          <li class="row">
                            <div class="row__main">
                              <p class="row__title">{describeDevice(s.userAgent)}</p>
                              <p class="row__meta">Last active {formatRelative(s.lastUsedAt)}</p>
                            </div>
                          </li>
                        )}
                      </For>
                    </ul>
                  </div>
                </Panel>
              </div>
              <Panel title="Open holds">
                <ul class="rows">
                  <For each={d().holds} fallback={<li class="row">No open holds.</li>}>
                    {(h) => (
                      <li class="row">
                        <div class="row__main">
                          <p class="row__title">
                            {h.amount} credits for {h.reference}
                          </p>
                          <p class="row__meta">Expires {formatRelative(h.expiresAt)}</p>
                        </div>
                      </li>
                    )}
                  </For>
                </ul>
              </Panel>
              <Panel title="Recent generations">
                <ul class="rows">
                  <For each={d().recentGenerations} fallback={<li class="row">No generations yet.</li>}>
                    {(g) => (
                      <li class="row">
                        <div class="row__main">
                          <p class="row__title">
                            {g.appId} · <span class={`badge badge--${g.status}`}>{g.status}</span>
                          </p>
                          <p class="row__meta">
                            {g.completed}/{g.total} done · charged {g.charged ?? "—"} · {formatRelative(g.createdAt)}
                          </p>
                        </div>
                      </li>
                    )}
                  </For>
                </ul>
              </Panel>
            </div>
          </Page>
        )}
      </Show>
    </Show>
  );
}
