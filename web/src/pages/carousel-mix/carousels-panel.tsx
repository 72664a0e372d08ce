/** A generation's carousels filling in live; one opens as a swipeable strip of its slides; ZIPs for one or all. */
import { For, Show, createEffect, createMemo, createSignal, on } from "solid-js";
import { ErrorNotice } from "../../components/error-notice";
import { ItemTile } from "../../components/item-tile";
import { Loaded } from "../../components/loaded";
import { Panel } from "../../components/panel";
import { ProgressBar } from "../../components/progress-bar";
import { Skeleton } from "../../components/skeleton";
import { StatusBadge } from "../../components/status-badge";
import { formatCredits } from "../../lib/format";
import { carouselOf, generationZipUrl } from "../../stores/carousel";
import { createGenerationStore, isFinished, type GenerationItem } from "../../stores/generation";

const carouselName = (index: number) => `Carousel ${index + 1}`;

function Strip(props: { item: GenerationItem; index: number; onClose: () => void }) {
  const carousel = () => carouselOf(props.item);
  let strip: HTMLOListElement | undefined;
  const step = (direction: number) => strip?.scrollBy({ left: direction * strip.clientWidth, behavior: "smooth" });
  return (
    <section class="cm-strip" aria-label={`${carouselName(props.index)} slides`} data-testid="strip">
      <header class="cm-strip__head">
        <h3 class="cm-strip__title">{carouselName(props.index)}</h3>
        <div class="cm-strip__actions">
          <Show when={carousel().zipUrl}>
            {(url) => (
              <a class="button button--primary button--small" href={url()} download="" data-testid="carousel-zip">
                Download ZIP
              </a>
            )}
          </Show>
          <button type="button" class="button button--secondary button--small" onClick={() => props.onClose()}>
            Close
          </button>
        </div>
      </header>
      <div class="cm-strip__body">
        <button type="button" class="cm-strip__step" aria-label="Previous slide" onClick={() => step(-1)}>
          ‹
        </button>
        <ol class="cm-strip__slides" ref={strip} tabindex="0">
          <For
            each={carousel().slides}
            fallback={
              <li class="cm-strip__slide">
                <Skeleton width="100%" height="100%" />
              </li>
            }
          >
            {(slide) => (
              <li class="cm-strip__slide">
                <img src={slide.url} alt={`Slide ${slide.slide} of ${carousel().slides.length}`} width={slide.width} height={slide.height} />
              </li>
            )}
          </For>
        </ol>
        <button type="button" class="cm-strip__step" aria-label="Next slide" onClick={() => step(1)}>
          ›
        </button>
      </div>
    </section>
  );
}

export function CarouselsPanel(props: { generationId: string }) {
  const store = createGenerationStore(() => props.generationId);
  const [open, setOpen] = createSignal<string | null>(null);
  const [zipError, setZipError] = createSignal<unknown>(null);

  async function downloadAll() {
    setZipError(null);
    try {
      const link = document.createElement("a");
      link.href = await generationZipUrl(props.generationId);
      link.download = "";
      link.click();
    } catch (e) {
      setZipError(e);
    }
  }

  return (
    <Panel title="Carousels">
      <Loaded of={store.generation} onRetry={store.refetch} skeleton={<Skeleton width="100%" height="10rem" />}>
        {(g) => {
          const items = () => g().items ?? [];
          const openIndex = () => items().findIndex((i) => i.key === open());
          const openItem = createMemo(() => items()[openIndex()]);
          // Live events carry status and preview only: a carousel opened before the batch ends reads its slides.
          createEffect(on(openItem, (item) => item?.status === "completed" && carouselOf(item).slides.length === 0 && store.refetch()));
          return (
            <div class="stack">
              <div class="gen-summary__head">
                <StatusBadge status={g().status} />
                <p class="gen-summary__counts" aria-live="polite" data-testid="generation-counts">
                  {g().completed} of {g().total} done{g().failed ? ` · ${g().failed} failed` : ""}
                  <Show when={isFinished(g()) && g().charged !== null}> · charged {formatCredits(g().charged ?? 0)} credits</Show>
                </p>
                <Show when={g().completed > 0 && isFinished(g())}>
                  <button type="button" class="button button--secondary button--small" onClick={() => void downloadAll()}>
                    Download all (ZIP)
                  </button>
                </Show>
              </div>
              <ProgressBar label="Carousels made" total={g().total} completed={g().completed} failed={g().failed + g().cancelled} />
              <Show when={zipError()}>
                <ErrorNotice error={zipError()} urgent />
              </Show>
              <Show when={openItem()}>{(item) => <Strip item={item()} index={openIndex()} onClose={() => setOpen(null)} />}</Show>
              <ul class="tiles" data-testid="carousels">
                <For each={items()}>
                  {(item, i) => <ItemTile item={item} name={carouselName(i())} openLabel="open its slides" testId="carousel-tile" working="Rendering…" onOpen={() => setOpen(item.key)} />}
                </For>
              </ul>
            </div>
          );
        }}
      </Loaded>
    </Panel>
  );
}
