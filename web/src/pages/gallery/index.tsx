/** /gallery: every output across apps, newest first, scrolling on by itself; stars, full view, downloads and a ZIP of a selection. */
import { For, Show, createMemo, createSignal, onCleanup, onMount } from "solid-js";
import { createAction } from "../../lib/action";
import { ErrorNotice } from "../../components/error-notice";
import { LoadMore } from "../../components/load-more";
import { OutputViewer } from "../../components/output-viewer";
import { Page } from "../../components/page";
import { EmptyState } from "../../components/panel";
import { Skeleton } from "../../components/skeleton";
import { createGalleryStore, ZIP_MAX_ITEMS } from "../../stores/gallery";
import { createAppsStore } from "../../stores/studio";
import "../../styles/pages/gallery.css";
import { GalleryFiltersForm } from "./filters";
import { GalleryTile } from "./gallery-tile";

const SKELETON_TILES = 8;

export default function Gallery() {
  const store = createGalleryStore();
  const catalog = createAppsStore();
  const apps = () => (catalog.apps.state === "ready" || catalog.apps.state === "refreshing" ? (catalog.apps.latest ?? []) : []);
  const list = store.list;
  const [open, setOpen] = createSignal<string | null>(null);
  const openItem = createMemo(() => list.items().find((i) => i.id === open()) ?? null);
  const [starError, setStarError] = createSignal<unknown>(null);
  const zipping = createAction();

  async function star(item: ReturnType<typeof list.items>[number]) {
    setStarError(null);
    try {
      await store.toggleFavorite(item);
    } catch (e) {
      setStarError(e);
    }
  }

  const zip = () => zipping.run(() => store.downloadZip());

  // Scrolling near the end loads the next page; the Load more button stays for whoever cannot scroll.
  let sentinel: HTMLDivElement | undefined;
  onMount(() => {
    if (!sentinel || typeof IntersectionObserver === "undefined") return;
    const observer = new IntersectionObserver((entries) => entries.some((e) => e.isIntersecting) && list.phase() === "ready" && list.loadMore(), { rootMargin: "400px" });
    observer.observe(sentinel);
    onCleanup(() => observer.disconnect());
  });

  return (
    <Page title="Gallery" lead="Everything you have made, newest first.">
      <div class="gallery stack">
        <GalleryFiltersForm store={store} apps={apps()} />
        <div class="gallery__toolbar" aria-live="polite">
          <p class="gallery__count" data-testid="selection">
            {store.selected().size === 0 ? `Select up to ${ZIP_MAX_ITEMS} images to download them together.` : `${store.selected().size} selected`}
          </p>
          <Show when={store.selected().size > 0}>
            <button type="button" class="button button--primary button--small" disabled={zipping.busy()} onClick={() => void zip()}>
              {zipping.busy() ? "Preparing ZIP…" : "Download ZIP"}
            </button>
            <button type="button" class="button button--secondary button--small" onClick={store.clearSelection}>
              Clear selection
            </button>
          </Show>
        </div>
        <Show when={zipping.error()}>
          <ErrorNotice error={zipping.error()} urgent />
        </Show>
        <Show when={starError()}>
          <div role="alert">
            <p class="panel__text">The star could not be saved; it is back as it was.</p>
            <ErrorNotice error={starError()} />
          </div>
        </Show>
        <div aria-busy={list.phase() === "loading"}>
          <Show when={list.phase() !== "error"} fallback={<ErrorNotice error={list.error()} onRetry={list.reload} />}>
            <Show
              when={list.phase() !== "loading"}
              fallback={
                <ul class="gallery-grid fill-grid" aria-hidden="true">
                  <For each={Array.from({ length: SKELETON_TILES })}>
                    {() => (
                      <li class="gallery-tile">
                        <Skeleton width="100%" height="12rem" />
                      </li>
                    )}
                  </For>
                </ul>
              }
            >
              <Show when={list.items().length > 0} fallback={<EmptyState title="Nothing here yet">Images you make in any app show up here; try other filters.</EmptyState>}>
                <ul class="gallery-grid fill-grid" data-testid="gallery">
                  <For each={list.items()}>
                    {(item) => (
                      <GalleryTile
                        item={item}
                        selected={store.selected().has(item.id)}
                        canSelect={store.selected().size < ZIP_MAX_ITEMS}
                        onSelect={() => store.toggleSelected(item.id)}
                        onOpen={() => setOpen(item.id)}
                        onStar={() => void star(item)}
                      />
                    )}
                  </For>
                </ul>
              </Show>
            </Show>
          </Show>
        </div>
        <div ref={sentinel} class="gallery__sentinel" aria-hidden="true" />
        <LoadMore list={list} label="Load more images" />
      </div>
      <OutputViewer item={openItem()} title={openItem()?.prompt ?? "Image"} fileStem={`lumiku-${openItem()?.generationId.slice(0, 8) ?? ""}-${openItem()?.key ?? ""}`} onClose={() => setOpen(null)} />
    </Page>
  );
}
