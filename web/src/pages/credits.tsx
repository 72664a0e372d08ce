/** Credits: the balance, buying packages and plans, orders, and the ledger, newest first, a page at a time. */
import { useSearchParams } from "@solidjs/router";
import { For, Match, Show, Switch, createSignal, onCleanup } from "solid-js";
import { BalanceCard } from "../components/balance-card";
import { ErrorNotice } from "../components/error-notice";
import { Page } from "../components/page";
import { EmptyState, Panel } from "../components/panel";
import { Skeleton } from "../components/skeleton";
import { LoadMore } from "../components/load-more";
import { api, call, type Data } from "../lib/api";
import { formatDateTime, formatSignedCredits, formatCredits } from "../lib/format";
import { realtime } from "../lib/realtime";
import { checkMyStatement } from "../lib/statement";
import type { StatementCheck } from "../../../worker/credits/verify";
import { useAccount } from "../stores/account";
import { createCatalogStore, createCheckout, createOrderHistory, createOrderWatch } from "../stores/billing";
import { BuyPanels } from "./billing/buy";
import { CurrentOrder, OrderHistory } from "./billing/orders";
import "./billing/billing.css";
import { createPagedList } from "../stores/paged-list";

type Entry = Data<typeof api.credits.history.$get>["items"][number];

const PAGE_SIZE = 20;
const SKELETON_ROWS = 4;

const KIND_LABEL: Record<Entry["kind"], string> = {
  grant: "Grant",
  purchase: "Purchase",
  capture: "Spent",
  release: "Released",
  refund: "Refund",
  adjustment: "Adjustment",
  usage: "Usage",
};

function EntryRow(props: { entry: Entry }) {
  const e = () => props.entry;
  return (
    <tr>
      <td class="ledger__what">
        <span class="ledger__description">{e().description}</span>
        <span class="ledger__meta">
          <span class={`badge badge--kind badge--${e().kind}`}>{KIND_LABEL[e().kind]}</span>
          <time datetime={e().createdAt}>{formatDateTime(e().createdAt)}</time>
        </span>
      </td>
      <td class="ledger__amount num" classList={{ "is-positive": e().amount > 0 }}>
        {formatSignedCredits(e().amount)}
      </td>
      <td class="ledger__after num">{formatCredits(e().balanceAfter)}</td>
    </tr>
  );
}

function SkeletonRows() {
  return (
    <For each={Array.from({ length: SKELETON_ROWS })}>
      {() => (
        // biome-ignore lint/a11y/noAriaHiddenOnFocusable: a skeleton row is not focusable; it is hidden from screen readers while the history loads
        <tr aria-hidden="true">
          <td class="ledger__what">
            <Skeleton width="55%" height="var(--row-title)" />
            <Skeleton width="35%" height="var(--row-meta)" />
          </td>
          <td class="ledger__amount num">
            <Skeleton width="4ch" height="var(--row-title)" />
          </td>
          <td class="ledger__after num">
            <Skeleton width="4ch" height="var(--row-title)" />
          </td>
        </tr>
      )}
    </For>
  );
}

/** Checks the signed statement of the whole ledger here in the browser: its signature, then every hash of the chain. */
function VerifyStatement() {
  const [busy, setBusy] = createSignal(false);
  const [result, setResult] = createSignal<StatementCheck | null>(null);
  const [error, setError] = createSignal<unknown>(null);
  async function verify() {
    setBusy(true);
    setError(null);
    setResult(null);
    try {
      setResult(await checkMyStatement());
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  }
  return (
    <div class="verify">
      <button type="button" class="button button--secondary button--small" disabled={busy()} onClick={() => void verify()}>
        {busy() ? "Verifying…" : "Verify"}
      </button>
      <p class="verify__result" role="status" data-testid="statement-verdict">
        <Show when={result()}>
          {(r) => {
            const check = r();
            return check.ok ? (
              <span class="notice notice--success">
                Verified: {check.statement.entries.length} {check.statement.entries.length === 1 ? "entry" : "entries"}, head{" "}
                <code title={check.statement.head}>{check.statement.head.slice(0, 16)}…</code>
              </span>
            ) : (
              <span class="notice notice--error">Not verified: {check.reason}</span>
            );
          }}
        </Show>
      </p>
      <Show when={error()}>
        <ErrorNotice error={error()} />
      </Show>
    </div>
  );
}

export default function Credits() {
  const { balance } = useAccount();
  const history = createPagedList((cursor) => call(api.credits.history.$get({ query: { limit: String(PAGE_SIZE), cursor } })));
  onCleanup(realtime.on("credits.changed", history.refreshHead));
  onCleanup(realtime.onResync(history.refreshHead));
  const [search] = useSearchParams();
  const orderId = () => (typeof search.order === "string" ? search.order : undefined);
  const catalog = createCatalogStore();
  const checkout = createCheckout();
  const orders = createOrderHistory();
  const watch = createOrderWatch(orderId, () => {
    orders.reload();
    void history.refreshHead();
  });

  return (
    <Page title="Credits" lead="Buy credits or a plan, and see every credit in and out of your account.">
      <div class="credits-layout">
        <div class="stack">
          <BalanceCard store={balance} title="Balance" />
          <Show when={orderId()}>
            <CurrentOrder watch={watch} />
          </Show>
        </div>
        <div class="stack">
          <BuyPanels catalog={catalog} checkout={checkout} />
          <OrderHistory history={orders} />
          <Panel title="History" busy={history.phase() === "loading"}>
            <VerifyStatement />
            <Switch>
              <Match when={history.phase() === "error"}>
                <ErrorNotice error={history.error()} onRetry={history.reload} />
              </Match>
              <Match when={history.phase() !== "loading" && history.items().length === 0}>
                <EmptyState title="No credit movements yet" />
              </Match>
              <Match when={true}>
                <table class="ledger">
                  <caption class="visually-hidden">Credit history, newest first</caption>
                  <thead>
                    <tr>
                      <th scope="col">Entry</th>
                      <th scope="col" class="num">
                        Amount
                      </th>
                      <th scope="col" class="num ledger__after">
                        Balance
                      </th>
                    </tr>
                  </thead>
                  <tbody>
                    <Show when={history.phase() !== "loading"} fallback={<SkeletonRows />}>
                      <For each={history.items()}>{(entry) => <EntryRow entry={entry} />}</For>
                    </Show>
                  </tbody>
                </table>
                <LoadMore list={history} />
              </Match>
            </Switch>
          </Panel>
        </div>
      </div>
    </Page>
  );
}
