/** Starring an output (PUT|DELETE /api/generations/:id/items/:key/favorite), for every place that shows one. */
import { api, call } from "../lib/api";

const favorite = api.generations[":id"].items[":key"].favorite;

export function setFavorite(generationId: string, key: string, on: boolean): Promise<unknown> {
  const param = { id: generationId, key };
  return call(on ? favorite.$put({ param }) : favorite.$delete({ param }));
}

/**
 * Shows `on` at once, asks the server, and puts the old value back if it refuses: `apply`
 * sets the flag wherever it is shown; the error is the caller's to show.
 */
export async function toggleOptimistic(generationId: string, key: string, on: boolean, apply: (on: boolean) => void): Promise<void> {
  apply(on);
  try {
    await setFavorite(generationId, key, on);
  } catch (e) {
    apply(!on);
    throw e;
  }
}
