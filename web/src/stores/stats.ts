/** The caller's account stats (GET /api/account/stats), read again when a generation finishes. */
import { createResource, onCleanup } from "solid-js";
import { api, call, type Data } from "../lib/api";
import { coalesce } from "../lib/coalesce";
import { realtime } from "../lib/realtime";

export type AccountStats = Data<typeof api.account.stats.$get>;

export function createStatsStore() {
  const [stats, { refetch }] = createResource(() => call(api.account.stats.$get()));
  const refetchSoon = coalesce(refetch);
  onCleanup(realtime.on("generation.finished", refetchSoon));
  onCleanup(realtime.onResync(refetchSoon));
  return { stats, refetch: () => void refetch() };
}

export type StatsStore = ReturnType<typeof createStatsStore>;
