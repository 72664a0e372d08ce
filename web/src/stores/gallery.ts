/** The gallery: filtered pages of the caller's outputs, stars that show at once, and a ZIP of the chosen ones. */
import { createSignal, on, createEffect } from "solid-js";
import { api, call, toApiError, type Data } from "../lib/api";
import { toggleOptimistic } from "./favorites";
import { createPagedList } from "./paged-list";

type GalleryQuery = NonNullable<Parameters<typeof api.gallery.$get>[0]>["query"];
export type GalleryItem = Data<typeof api.gallery.$get>["items"][number] & { id: string };

export interface GalleryFilters {
  appId: string;
  status: "completed" | "failed" | "processing" | "queued" | "cancelled";
  favorite: boolean;
  from: string;
  to: string;
  q: string;
}

export const NO_FILTERS: GalleryFilters = { appId: "", status: "completed", favorite: false, from: "", to: "", q: "" };
/** Published by the server (GALLERY_ZIP_MAX_ITEMS); a larger selection is refused there too. */
export const ZIP_MAX_ITEMS = 50;
const PAGE_SIZE = 30;

export const galleryItemId = (i: { generationId: string; key: string }) => `${i.generationId}:${i.key}`;

function queryOf(f: GalleryFilters, cursor: string | undefined): GalleryQuery {
  const query: Record<string, string> = { limit: String(PAGE_SIZE), status: f.status };
  if (f.appId) query.appId = f.appId;
  if (f.favorite) query.favorite = "true";
  if (f.from) query.from = f.from;
  if (f.to) query.to = f.to;
  if (f.q.trim()) query.q = f.q.trim();
  if (cursor) query.cursor = cursor;
  return query as GalleryQuery;
}

export function createGalleryStore() {
  const [filters, setFilters] = createSignal<GalleryFilters>(NO_FILTERS);
  const list = createPagedList<GalleryItem>(async (cursor) => {
    const page = await call(api.gallery.$get({ query: queryOf(filters(), cursor) }));
    return { items: page.items.map((i) => ({ ...i, id: galleryItemId(i) })), nextCursor: page.nextCursor };
  });
  const [selected, setSelected] = createSignal<ReadonlySet<string>>(new Set<string>());
  createEffect(
    on(
      filters,
      () => {
        setSelected(new Set<string>());
        list.reload();
      },
      { defer: true },
    ),
  );

  const toggleSelected = (id: string) => {
    const next = new Set(selected());
    if (!next.delete(id) && next.size < ZIP_MAX_ITEMS) next.add(id);
    setSelected(next);
  };

  /** Optimistic; throws (after rolling back) when the server refuses. */
  function toggleFavorite(item: GalleryItem): Promise<void> {
    return toggleOptimistic(item.generationId, item.key, !item.favorite, (favorite) => list.replaceItems((items) => items.map((i) => (i.id === item.id ? { ...i, favorite } : i))));
  }

  /** The chosen outputs as one ZIP, saved by the browser. */
  async function downloadZip(): Promise<void> {
    const items = list
      .items()
      .filter((i) => selected().has(i.id))
      .map((i) => ({ generationId: i.generationId, key: i.key }));
    const res = await api.gallery.zip.$post({ json: { items } });
    if (!res.ok) throw await toApiError(res as unknown as Response);
    const url = URL.createObjectURL(await res.blob());
    const link = document.createElement("a");
    link.href = url;
    link.download = `lumiku-gallery-${items.length}.zip`;
    link.click();
    setTimeout(() => URL.revokeObjectURL(url), 60_000);
  }

  return { filters, setFilters, list, selected, toggleSelected, clearSelection: () => setSelected(new Set<string>()), toggleFavorite, downloadZip };
}

export type GalleryStore = ReturnType<typeof createGalleryStore>;
