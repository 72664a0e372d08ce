/** The gallery's filters: app, status, favourites, UTC days and a prompt search that waits for a pause in typing. */
import { For, createSignal, createUniqueId, onCleanup } from "solid-js";
import type { AppSummary } from "../../stores/catalog";
import { NO_FILTERS, type GalleryFilters, type GalleryStore } from "../../stores/gallery";

const SEARCH_DEBOUNCE_MS = 300;
const STATUSES: { value: GalleryFilters["status"]; label: string }[] = [
  { value: "completed", label: "Finished" },
  { value: "failed", label: "Failed" },
  { value: "processing", label: "Running" },
  { value: "queued", label: "Queued" },
  { value: "cancelled", label: "Cancelled" },
];

export function GalleryFiltersForm(props: { store: GalleryStore; apps: readonly AppSummary[] }) {
  const id = createUniqueId();
  const f = props.store.filters;
  const set = (patch: Partial<GalleryFilters>) => props.store.setFilters({ ...f(), ...patch });
  const [search, setSearch] = createSignal(f().q);
  let timer: ReturnType<typeof setTimeout> | undefined;
  onCleanup(() => clearTimeout(timer));
  const typed = (value: string) => {
    setSearch(value);
    clearTimeout(timer);
    timer = setTimeout(() => set({ q: value }), SEARCH_DEBOUNCE_MS);
  };
  const reset = () => {
    clearTimeout(timer);
    setSearch("");
    props.store.setFilters(NO_FILTERS);
  };
  return (
    <form class="gallery-filters" aria-label="Filter the gallery" onSubmit={(e) => e.preventDefault()}>
      <div class="field gallery-filters__search">
        <label class="field__label" for={`${id}-q`}>
          Search prompts
        </label>
        <input id={`${id}-q`} class="field__input" type="search" maxLength={100} placeholder="e.g. beach" value={search()} onInput={(e) => typed(e.currentTarget.value)} />
      </div>
      <div class="field">
        <label class="field__label" for={`${id}-app`}>
          App
        </label>
        <select id={`${id}-app`} class="field__input field__select" value={f().appId} onChange={(e) => set({ appId: e.currentTarget.value })}>
          <option value="">All apps</option>
          <For each={props.apps}>{(app) => <option value={app.id}>{app.name}</option>}</For>
        </select>
      </div>
      <div class="field">
        <label class="field__label" for={`${id}-status`}>
          Status
        </label>
        <select id={`${id}-status`} class="field__input field__select" value={f().status} onChange={(e) => set({ status: e.currentTarget.value as GalleryFilters["status"] })}>
          <For each={STATUSES}>{(s) => <option value={s.value}>{s.label}</option>}</For>
        </select>
      </div>
      <div class="field">
        <label class="field__label" for={`${id}-from`}>
          From
        </label>
        <input id={`${id}-from`} class="field__input" type="date" value={f().from} max={f().to || undefined} onChange={(e) => set({ from: e.currentTarget.value })} />
      </div>
      <div class="field">
        <label class="field__label" for={`${id}-to`}>
          To
        </label>
        <input id={`${id}-to`} class="field__input" type="date" value={f().to} min={f().from || undefined} onChange={(e) => set({ to: e.currentTarget.value })} />
      </div>
      <label class="gallery-filters__check">
        <input type="checkbox" checked={f().favorite} onChange={(e) => set({ favorite: e.currentTarget.checked })} />
        Favourites only
      </label>
      <button type="button" class="button button--secondary button--small" onClick={reset}>
        Clear filters
      </button>
    </form>
  );
}
