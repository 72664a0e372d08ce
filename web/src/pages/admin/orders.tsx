/** Admin orders: every user's orders by status, and a re-check of one with the payment gateway. */
import { A } from "@solidjs/router";
import { For, Show, createSignal } from "solid-js";
import { ErrorNotice } from "../../components/error-notice";
import { LoadMore } from "../../components/load-more";
import { OrderBadge } from "../../components/order-badge";
import { Page } from "../../components/page";
import { Panel } from "../../components/panel";
import { createAction } from "../../lib/action";
import { api, call } from "../../lib/api";
import { formatCredits, formatDateTime, formatRupiah } from "../../lib/format";
import { createPagedList } from "../../stores/paged-list";

const STATUSES = ["", "pending", "paid", "failed", "expired"] as const;

export function Orders() {
  const [status, setStatus] = createSignal<(typeof STATUSES)[number]>("");
  const orders = createPagedList((cursor) => call(api.admin.orders.$get({ query: { limit: "50", cursor, status: status() || undefined } })));
  const check = createAction();

  const recheck = (id: string, before: string) =>
    check.run(async () => {
      const { order } = await call(api.admin.orders[":id"].check.$post({ param: { id } }));
      await orders.reload();
      return order.status === before ? `The gateway still reports order ${id} as ${order.status}.` : `Order ${id} is now ${order.status} (was ${before}).`;
    }, id);

  return (
    <Page title="Orders">
      <div class="stack">
        <Show when={check.done()}>
          <p class="notice notice--success" role="status">
            {check.done()}
          </p>
        </Show>
        <Show when={check.error()}>
          <ErrorNotice error={check.error()} urgent />
        </Show>
        <Panel
          title="All orders"
          actions={
            <select
              class="field__select"
              aria-label="Status"
              value={status()}
              onChange={(e) => {
                setStatus(e.currentTarget.value as (typeof STATUSES)[number]);
                void orders.reload();
              }}
            >
              {STATUSES.map((s) => (
                <option value={s}>{s || "any status"}</option>
              ))}
            </select>
          }
        >
          <Show when={orders.phase() === "error"}>
            <ErrorNotice error={orders.error()} onRetry={orders.reload} />
          </Show>
          <table class="admin__table" data-testid="admin-orders">
            <thead>
              <tr>
                <th>User</th>
                <th>Item</th>
                <th>Credits</th>
                <th>Amount</th>
                <th>Status</th>
                <th>Created</th>
                <th>Paid</th>
                <th />
              </tr>
            </thead>
            <tbody>
              <For each={orders.items()}>
                {(o) => (
                  <tr data-order={o.id}>
                    <td>
                      <Show when={o.user} fallback="—">
                        {(u) => <A href={`/admin/users/${encodeURIComponent(u().id)}`}>{u().email}</A>}
                      </Show>
                    </td>
                    <td>{o.itemName}</td>
                    <td class="num">{formatCredits(o.credits)}</td>
                    <td class="num">{o.currency === "IDR" ? formatRupiah(o.amount) : `${o.amount} ${o.currency}`}</td>
                    <td>
                      <OrderBadge status={o.status} />
                    </td>
                    <td>{formatDateTime(o.createdAt)}</td>
                    <td>{o.paidAt ? formatDateTime(o.paidAt) : "—"}</td>
                    <td>
                      <button type="button" class="button button--secondary button--small" disabled={check.busy()} onClick={() => void recheck(o.id, o.status)}>
                        {check.target() === o.id ? "Checking…" : "Re-check with gateway"}
                      </button>
                    </td>
                  </tr>
                )}
              </For>
            </tbody>
          </table>
          <LoadMore list={orders} />
        </Panel>
      </div>
    </Page>
  );
}
