/** The order just paid for (?order=) with its live status, and the order history with receipt details. */
import { For, Match, Show, Switch } from "solid-js";
import { ErrorNotice } from "../../components/error-notice";
import { LoadMore } from "../../components/load-more";
import { Loaded } from "../../components/loaded";
import { EmptyState, Panel } from "../../components/panel";
import { Skeleton } from "../../components/skeleton";
import { formatCredits, formatDateTime, formatRupiah } from "../../lib/format";
import type { createOrderHistory, createOrderWatch, Order } from "../../stores/billing";
import { OrderBadge } from "../../components/order-badge";

function Outcome(props: { order: Order }) {
  const o = () => props.order;
  const what = () => (o().kind === "package" ? `${formatCredits(o().credits)} credits were added to your balance.` : `${o().itemName} is active.`);
  return (
    <Switch>
      <Match when={o().status === "paid"}>
        <p class="notice notice--success" role="status">
          Payment received. {what()}
        </p>
      </Match>
      <Match when={o().status === "failed"}>
        <p class="notice notice--error" role="status">
          The payment failed. Nothing was charged and your balance is unchanged.
        </p>
      </Match>
      <Match when={o().status === "expired"}>
        <p class="notice notice--warning" role="status">
          This order expired before it was paid. Nothing was charged.
        </p>
      </Match>
      <Match when={true}>
        <p class="notice notice--info" role="status">
          Waiting for the payment to be confirmed… this page updates by itself.
        </p>
      </Match>
    </Switch>
  );
}

function Receipt(props: { order: Order }) {
  const o = () => props.order;
  return (
    <dl class="receipt">
      <dt>Item</dt>
      <dd>{o().itemName}</dd>
      <dt>Amount</dt>
      <dd class="num">{formatRupiah(o().amount)}</dd>
      <Show when={o().credits > 0}>
        <dt>Credits</dt>
        <dd class="num">{formatCredits(o().credits)}</dd>
      </Show>
      <dt>Reference</dt>
      <dd class="receipt__ref">{o().reference ?? "—"}</dd>
      <Show when={o().paymentMethod}>
        <dt>Method</dt>
        <dd>{o().paymentMethod}</dd>
      </Show>
      <dt>Ordered</dt>
      <dd>{formatDateTime(o().createdAt)}</dd>
      <Show when={o().paidAt}>
        {(at) => (
          <>
            <dt>Paid</dt>
            <dd>{formatDateTime(at())}</dd>
          </>
        )}
      </Show>
      <dt>Order id</dt>
      <dd class="receipt__ref">{o().id}</dd>
    </dl>
  );
}

export function CurrentOrder(props: { watch: ReturnType<typeof createOrderWatch> }) {
  return (
    <Panel title="Your order" class="panel--order" busy={props.watch.order.loading && !props.watch.order.latest}>
      <Loaded of={props.watch.order} onRetry={props.watch.refetch} skeleton={<Skeleton width="100%" height="5rem" />}>
        {(order) => (
          <div class="current-order" data-testid="current-order">
            <div class="current-order__head">
              <p class="current-order__name">{order().itemName}</p>
              <OrderBadge status={order().status} />
            </div>
            <Outcome order={order()} />
            <Receipt order={order()} />
          </div>
        )}
      </Loaded>
    </Panel>
  );
}

export function OrderHistory(props: { history: ReturnType<typeof createOrderHistory> }) {
  const h = props.history;
  return (
    <Panel title="Orders" class="panel--orders" busy={h.phase() === "loading"}>
      <Switch>
        <Match when={h.phase() === "error"}>
          <ErrorNotice error={h.error()} onRetry={h.reload} />
        </Match>
        <Match when={h.phase() === "loading"}>
          <Skeleton width="100%" height="3rem" />
        </Match>
        <Match when={h.items().length === 0}>
          <EmptyState title="No orders yet">Packages and plans you buy show up here with their receipts.</EmptyState>
        </Match>
        <Match when={true}>
          <ul class="rows orders" data-testid="orders">
            <For each={h.items()}>
              {(order) => (
                <li class="row order-row">
                  <details class="order-row__details">
                    <summary class="order-row__summary">
                      <span class="row__main">
                        <span class="row__title">{order.itemName}</span>
                        <span class="row__meta">
                          {formatRupiah(order.amount)} · {formatDateTime(order.createdAt)}
                        </span>
                      </span>
                      <OrderBadge status={order.status} />
                    </summary>
                    <Receipt order={order} />
                  </details>
                </li>
              )}
            </For>
          </ul>
          <LoadMore list={h} />
        </Match>
      </Switch>
    </Panel>
  );
}
