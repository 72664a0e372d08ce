/** The signed-in user's balance: fetched once per session scope, patched by realtime, refetched on resync. */
import { createResource, onCleanup } from "solid-js";
import { api, call, type Data } from "../lib/api";
import { realtime } from "../lib/realtime";

export type Balance = Data<typeof api.credits.balance.$get>;

export function createBalanceStore() {
  const [balance, { refetch, mutate }] = createResource(() => call(api.credits.balance.$get()));

  onCleanup(
    realtime.on("credits.changed", ({ balance: total, held, available }) => {
      const state = balance.state;
      const known = state === "ready" || state === "refreshing" ? balance.latest : undefined;
      if (known) mutate({ ...known, balance: total, held, available });
      // Nothing to patch (unlimited and quota come only from REST): ask, unless an answer is on its way.
      else if (state === "errored" || state === "unresolved") void refetch();
    }),
  );
  onCleanup(realtime.onResync(() => void refetch()));

  return { balance, refetch: () => void refetch() };
}

export type BalanceStore = ReturnType<typeof createBalanceStore>;
