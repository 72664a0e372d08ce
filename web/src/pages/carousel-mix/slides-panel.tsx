/** The carousel's slide positions: per slide its candidate images (uploaded, checked first in the browser) and caption variants. */
import { For, Index, Show, createSignal } from "solid-js";
import { ErrorNotice } from "../../components/error-notice";
import { Panel } from "../../components/panel";
import { Skeleton } from "../../components/skeleton";
import { acceptedTypes, ImageProblem, checkImageFile } from "../../lib/image-file";
import { useAccount } from "../../stores/account";
import type { CarouselLimits, DraftPosition, Position, SlidesStore } from "../../stores/carousel";

function PositionCard(props: { index: number; draft: DraftPosition; saved: Position | undefined; store: SlidesStore; limits: CarouselLimits; canRemove: boolean; disabled: boolean }) {
  const { catalog } = useAccount();
  const [busy, setBusy] = createSignal(false);
  const [error, setError] = createSignal<unknown>(null);
  const [problem, setProblem] = createSignal<string | null>(null);
  const images = () => props.saved?.images ?? [];
  const label = () => `Slide ${props.index + 1}`;

  const update = (captions: string[]) => props.store.edit(props.store.draft().map((p, i) => (i === props.index ? { ...p, captions } : p)));

  async function run(work: () => Promise<void>) {
    setBusy(true);
    setError(null);
    try {
      await work();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  }

  async function take(files: FileList | null) {
    setProblem(null);
    // The page renders once the catalogue (with its upload rule) has loaded.
    const rule = catalog.uploads();
    if (!rule) return;
    for (const file of Array.from(files ?? [])) {
      try {
        await checkImageFile(file, rule);
      } catch (e) {
        setProblem(e instanceof ImageProblem ? `${file.name}: ${e.message}` : `${file.name} could not be read.`);
        return;
      }
    }
    const chosen = Array.from(files ?? []).slice(0, props.limits.images.max - images().length);
    await run(async () => {
      for (const file of chosen) await props.store.upload(props.index, file);
    });
  }

  return (
    <li class="cm-position" data-testid="position">
      <header class="cm-position__head">
        <h3 class="cm-position__title">{label()}</h3>
        <Show when={props.canRemove}>
          <button
            type="button"
            class="button button--secondary button--small"
            aria-label={`Remove ${label()}`}
            disabled={props.disabled}
            onClick={() => props.store.edit(props.store.draft().filter((_, i) => i !== props.index))}
          >
            Remove
          </button>
        </Show>
      </header>
      <ul class="cm-thumbs" aria-label={`${label()} images`}>
        <For each={images()}>
          {(image, i) => (
            <li class="cm-thumb">
              <img src={image.thumbnailUrl} alt={`${label()}, candidate ${i() + 1}`} loading="lazy" />
              <button
                type="button"
                class="cm-thumb__remove"
                aria-label={`Remove image ${i() + 1} of ${label()}`}
                disabled={busy()}
                onClick={() => void run(() => props.store.removeImage(props.saved!.id, image.id))}
              >
                ×
              </button>
            </li>
          )}
        </For>
        <Show when={images().length < props.limits.images.max}>
          <li class="cm-thumb cm-thumb--add">
            <label class="cm-add">
              <input
                class="visually-hidden"
                type="file"
                accept={catalog.uploads() ? acceptedTypes(catalog.uploads()!) : undefined}
                multiple
                disabled={busy() || props.disabled}
                aria-label={`Add images to ${label()}`}
                onChange={(e) => {
                  const input = e.currentTarget;
                  // The same file picked again after a fix still fires change.
                  void take(input.files).finally(() => (input.value = ""));
                }}
              />
              <span aria-hidden="true">{busy() ? "…" : "+"}</span>
            </label>
          </li>
        </Show>
      </ul>
      <p class="field__hint">
        {images().length}/{props.limits.images.max} images · PNG, JPEG or WebP, 256–4096 px
      </p>
      <Show when={problem()}>
        <p class="field__error" role="alert">
          {problem()}
        </p>
      </Show>
      <Index each={props.draft.captions}>
        {(caption, c) => (
          <div class="cm-caption">
            <input
              class="field__input"
              aria-label={`${label()} caption ${c + 1}`}
              maxLength={props.limits.caption.max}
              value={caption()}
              disabled={props.disabled}
              onInput={(e) => update(props.draft.captions.map((t, j) => (j === c ? e.currentTarget.value : t)))}
            />
            <button
              type="button"
              class="button button--secondary button--small"
              aria-label={`Remove caption ${c + 1} of ${label()}`}
              disabled={props.disabled}
              onClick={() => update(props.draft.captions.filter((_, j) => j !== c))}
            >
              ×
            </button>
          </div>
        )}
      </Index>
      <Show when={props.draft.captions.length < props.limits.captions.max}>
        <button type="button" class="button button--secondary button--small" disabled={props.disabled} onClick={() => update([...props.draft.captions, ""])}>
          Add caption to {label()}
        </button>
      </Show>
      <Show when={error()}>
        <ErrorNotice error={error()} urgent />
      </Show>
    </li>
  );
}

export function SlidesPanel(props: { store: SlidesStore; limits: CarouselLimits; projectId: string | undefined }) {
  const [saving, setSaving] = createSignal(false);
  const [error, setError] = createSignal<unknown>(null);
  const draft = () => props.store.draft();
  const disabled = () => !props.projectId || saving();

  async function save() {
    setSaving(true);
    setError(null);
    try {
      await props.store.save();
    } catch (e) {
      setError(e);
    } finally {
      setSaving(false);
    }
  }

  return (
    <Panel
      title="Slides"
      busy={props.store.state.loading}
      actions={
        <button type="button" class="button button--primary button--small" disabled={disabled() || !props.store.dirty()} onClick={() => void save()}>
          {saving() ? "Saving…" : props.store.dirty() ? "Save slides" : "Saved"}
        </button>
      }
    >
      <Show when={props.store.current() || !props.projectId} fallback={<Skeleton width="100%" height="12rem" />}>
        <p class="panel__text">Each carousel takes one image and one caption from every slide. Slides without captions show the image alone.</p>
        <ol class="cm-positions">
          <Index each={draft()}>
            {(p, i) => (
              <PositionCard
                index={i}
                draft={p()}
                saved={props.store.current()?.positions.find((s) => s.id === p().id)}
                store={props.store}
                limits={props.limits}
                canRemove={draft().length > props.limits.positions.min}
                disabled={disabled()}
              />
            )}
          </Index>
        </ol>
        <Show when={draft().length < props.limits.positions.max}>
          <button type="button" class="button button--secondary" disabled={disabled()} onClick={() => props.store.edit([...draft(), { captions: [] }])}>
            Add a slide
          </button>
        </Show>
        <Show when={error()}>
          <ErrorNotice error={error()} urgent />
        </Show>
      </Show>
    </Panel>
  );
}
