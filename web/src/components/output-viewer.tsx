/** One finished item full size in a modal dialog, with a download link for every exported format. */
import { For, Show, createEffect } from "solid-js";
import type { GenerationItem } from "../stores/generation";

const FORMAT_LABEL: Record<string, string> = {
  original: "Original",
  instagram_post: "Instagram post",
  instagram_story: "Instagram story",
  thumbnail: "Thumbnail",
  webp: "Animated WebP",
};
const FORMAT_ORDER = Object.keys(FORMAT_LABEL);
const EXTENSION: Record<string, string> = { "image/png": "png", "image/jpeg": "jpg", "image/webp": "webp" };

/** The exported formats in a fixed order; `preview` is the tile's thumbnail, not an export. */
export function downloadsOf(item: GenerationItem) {
  const entries = Array.isArray(item.outputs) ? item.outputs.map(({ format, ...output }) => [format, output] as const) : Object.entries(item.outputs);
  return entries
    .filter(([format]) => format !== "preview")
    .sort(([a], [b]) => (FORMAT_ORDER.indexOf(a) + 1 || 99) - (FORMAT_ORDER.indexOf(b) + 1 || 99))
    .map(([format, output]) => ({ format, label: FORMAT_LABEL[format] ?? format, ...output, extension: EXTENSION[output.contentType] ?? "img" }));
}

export function OutputViewer(props: { item: GenerationItem | null; title: string; fileStem: string; onClose: () => void }) {
  let dialog: HTMLDialogElement | undefined;
  createEffect(() => {
    if (!dialog) return;
    if (props.item && !dialog.open) dialog.showModal();
    if (!props.item && dialog.open) dialog.close();
  });
  return (
    // biome-ignore lint/a11y/useKeyWithClickEvents: the backdrop click has a keyboard twin, the dialog's own Escape
    <dialog
      ref={dialog}
      class="viewer"
      aria-label={props.title}
      onClose={() => props.onClose()}
      // A click on the backdrop (the dialog box itself, outside its content) closes it; from the keyboard, Escape does.
      onClick={(e) => e.target === dialog && dialog.close()}
    >
      <Show when={props.item}>
        {(item) => (
          <div class="viewer__body">
            <header class="viewer__header">
              <h2 class="viewer__title">{props.title}</h2>
              <button type="button" class="button button--secondary button--small" onClick={() => dialog?.close()} autofocus>
                Close
              </button>
            </header>
            <div class="viewer__image">
              <Show when={item().outputUrl} fallback={<p class="panel__text">This image has no full-size output.</p>}>
                {(src) => <img src={src()} alt={`${props.title}, full size`} data-testid="full-size" />}
              </Show>
            </div>
            <div class="viewer__downloads">
              <p class="viewer__downloads-title" id="viewer-downloads">
                Download
              </p>
              <ul class="inline-list" aria-labelledby="viewer-downloads">
                <For each={downloadsOf(item())}>
                  {(d) => (
                    <li>
                      <a class="button button--secondary button--small" href={d.url} download={`${props.fileStem}-${d.format}.${d.extension}`}>
                        <DownloadIcon />
                        {d.label}
                        <span class="viewer__size">
                          {d.width}×{d.height}
                        </span>
                      </a>
                    </li>
                  )}
                </For>
              </ul>
            </div>
          </div>
        )}
      </Show>
    </dialog>
  );
}

function DownloadIcon() {
  return (
    <svg viewBox="0 0 24 24" width="16" height="16" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round" aria-hidden="true">
      <path d="M12 4v11M7 10l5 5 5-5M5 20h14" />
    </svg>
  );
}
