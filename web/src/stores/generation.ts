/**
 * One generation, live: read from REST, patched by `generation.progress` events as items
 * finish, and read again from REST on `generation.finished` and after every reconnect.
 */
import { createResource, onCleanup } from "solid-js";
import { api, ApiError, call, type Data } from "../lib/api";
import { coalesce } from "../lib/coalesce";
import { realtime } from "../lib/realtime";
import { toggleOptimistic } from "./favorites";

const generations = api.generations[":id"];

export type GenerationDetail = Data<typeof generations.$get>;
export type GenerationItem = NonNullable<GenerationDetail["items"]>[number];

const FINAL: ReadonlySet<GenerationDetail["status"]> = new Set(["completed", "partial", "failed", "cancelled"]);
export const isFinished = (g: Pick<GenerationDetail, "status">) => FINAL.has(g.status);

export function createGenerationStore(id: () => string) {
  const [generation, { refetch, mutate }] = createResource(id, (generationId) => call(generations.$get({ param: { id: generationId } })));
  // A 404 stays a 404 (another user's id, or a deleted one): asking again would only flicker.
  const isGone = () => generation.state === "errored" && generation.error instanceof ApiError && generation.error.status === 404;
  const resync = coalesce(() => (isGone() ? undefined : refetch()));
  const current = () => (generation.state === "ready" || generation.state === "refreshing" ? generation.latest : undefined);

  onCleanup(
    realtime.on("generation.progress", (event) => {
      if (event.generationId !== id()) return;
      const g = current();
      // Not loaded yet: the answer on its way may predate this event, so ask once more after it.
      if (!g) return resync();
      const changed = event.item;
      mutate({
        ...g,
        status: event.status,
        completed: event.completed,
        failed: event.failed,
        total: event.total,
        items: g.items?.map((item) => (changed && item.key === changed.key ? { ...item, status: changed.status, thumbnailUrl: changed.thumbnailUrl ?? item.thumbnailUrl } : item)),
      });
    }),
  );
  onCleanup(
    realtime.on("generation.finished", (event) => {
      if (event.generationId !== id()) return;
      const g = current();
      if (g) mutate({ ...g, status: event.status, charged: event.charged, refunded: event.refunded });
      // Full-size outputs and download links come from REST.
      resync();
    }),
  );
  onCleanup(realtime.onResync(resync));

  /** Cancels the items not started yet; shows the server's answer. */
  async function cancel(): Promise<void> {
    const { generation: fresh } = await call(generations.cancel.$post({ param: { id: id() } }));
    const g = current();
    mutate({ ...fresh, items: fresh.items ?? g?.items });
  }

  /** Stars or unstars an item at once; throws (after putting it back) when the server refuses. */
  function toggleFavorite(key: string): Promise<void> {
    const item = current()?.items?.find((i) => i.key === key);
    if (!item) return Promise.resolve();
    return toggleOptimistic(id(), key, !item.favorite, (favorite) => {
      const g = current();
      if (g) mutate({ ...g, items: g.items?.map((i) => (i.key === key ? { ...i, favorite } : i)) });
    });
  }

  return { generation, refetch: () => void refetch(), cancel, toggleFavorite };
}
