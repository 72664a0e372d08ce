/**
 * Billing for the signed-in user: the catalog, checkout (one Idempotency-Key per Buy, the
 * browser then goes to the gateway's page), the order being paid and the order history.
 * An order just paid is watched over the socket (its credits arrive as credits.changed) and
 * re-read every few seconds while it is pending, since a notification may come late.
 */
import { createResource, createSignal, onCleanup } from "solid-js";
import { api, call, type Data } from "../lib/api";
import { realtime } from "../lib/realtime";
import { createPagedList } from "./paged-list";

export type CreditPackage = Data<typeof api.billing.packages.$get>["packages"][number];
export type Plan = Data<typeof api.billing.plans.$get>["plans"][number];
export type Order = Data<(typeof api.billing.orders)[":id"]["$get"]>["order"];
export type Subscription = Data<typeof api.billing.subscription.$get>;

const WATCH_EVERY_MS = 3000;
const WATCH_FOR_MS = 5 * 60_000;

export function createCatalogStore() {
  const [packages, packagesActions] = createResource(async () => (await call(api.billing.packages.$get())).packages);
  const [plans, plansActions] = createResource(async () => (await call(api.billing.plans.$get())).plans);
  const refetch = () => {
    void packagesActions.refetch();
    void plansActions.refetch();
  };
  return { packages, plans, refetch };
}

export function createSubscriptionStore() {
  const [subscription, { refetch }] = createResource(() => call(api.billing.subscription.$get()));
  onCleanup(realtime.onResync(() => void refetch()));
  return { subscription, refetch: () => void refetch() };
}

export type Item = { packageId: string } | { planId: string };

/** Buy: one request at a time, then off to the payment page. */
export function createCheckout() {
  const [busy, setBusy] = createSignal<string | null>(null);
  const [error, setError] = createSignal<unknown>(null);
  async function buy(item: Item) {
    if (busy()) return;
    setBusy("packageId" in item ? item.packageId : item.planId);
    setError(null);
    try {
      const { paymentUrl } = await call(api.billing.checkout.$post({ json: item }, { headers: { "Idempotency-Key": crypto.randomUUID() } }));
      // Stays busy: the browser is leaving for the payment page.
      location.assign(paymentUrl);
    } catch (e) {
      setError(e);
      setBusy(null);
    }
  }
  return { buy, busy, error };
}

/** The order in ?order=, kept fresh until it is settled. */
export function createOrderWatch(id: () => string | undefined, onSettled: () => void) {
  const [order, { refetch }] = createResource(id, async (orderId) => (await call(api.billing.orders[":id"].$get({ param: { id: orderId } }))).order);
  const started = Date.now();
  let settled = false;
  const check = () => {
    const current = order.state === "ready" ? order.latest : undefined;
    if (current && current.status !== "pending") {
      if (!settled) onSettled();
      settled = true;
      return;
    }
    if (Date.now() - started < WATCH_FOR_MS) void refetch();
  };
  const timer = window.setInterval(check, WATCH_EVERY_MS);
  onCleanup(() => window.clearInterval(timer));
  onCleanup(realtime.on("credits.changed", () => void refetch()));
  onCleanup(realtime.onResync(() => void refetch()));
  return { order, refetch: () => void refetch(), check };
}

export function createOrderHistory() {
  return createPagedList((cursor) => call(api.billing.orders.$get({ query: { limit: "10", cursor } })));
}
