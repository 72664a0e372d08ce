/** The project's clips: upload MP4s with a live progress bar, see each one's first frame, duration and format, pick them for the mix. */
import { For, Show, createUniqueId } from "solid-js";
import { ErrorNotice } from "../../components/error-notice";
import { Loaded } from "../../components/loaded";
import { EmptyState, Panel } from "../../components/panel";
import { Skeleton } from "../../components/skeleton";
import type { Clip, ClipList, ClipUpload } from "../../stores/video-clips";
import type { AppSummary } from "../../stores/studio";
import { describeFormat, formatBytes, formatSeconds, rangeOf } from "./format";

function UploadRow(props: { upload: ClipUpload; onDismiss: () => void }) {
  const u = () => props.upload;
  const percent = () => (u().progress.totalBytes > 0 ? Math.round((u().progress.sentBytes / u().progress.totalBytes) * 100) : 0);
  return (
    <li class="clip-upload" data-testid="clip-upload">
      <div class="clip-upload__head">
        <span class="clip-upload__name">{u().name}</span>
        <span class="num">{u().phase === "checking" ? "Checking…" : u().phase === "failed" ? "Failed" : `${percent()}%`}</span>
      </div>
      <div
        class="progress"
        role="progressbar"
        aria-label={`Uploading ${u().name}`}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={percent()}
        aria-valuetext={`${formatBytes(u().progress.sentBytes)} of ${formatBytes(u().progress.totalBytes)}, part ${u().progress.part} of ${u().progress.parts}`}
        data-testid="upload-progress"
      >
        <span class="progress__part progress__part--done" style={{ width: `${percent()}%` }} />
      </div>
      <p class="field__hint">
        Part {u().progress.part} of {u().progress.parts}
        <Show when={u().progress.retries > 0}>
          {" "}
          · {u().progress.retries} part{u().progress.retries === 1 ? "" : "s"} sent again
        </Show>
      </p>
      <Show when={u().phase === "failed"}>
        <ErrorNotice error={u().error} />
        <button type="button" class="button button--secondary button--small" onClick={() => props.onDismiss()}>
          Dismiss
        </button>
      </Show>
    </li>
  );
}

function ClipCard(props: { clip: Clip; picked: number; onToggle: () => void; onDelete: () => void }) {
  const c = () => props.clip;
  return (
    <li class="clip-card" classList={{ "is-picked": props.picked > 0, "is-rejected": c().status === "rejected" }} data-testid="clip-card" data-status={c().status}>
      <div class="clip-card__poster">
        {/* The Worker never decodes a frame: the browser shows the clip's first frame as its poster. */}
        <Show when={c().videoUrl} fallback={<span class="clip-card__placeholder">{c().status === "rejected" ? "Rejected" : "Uploading"}</span>}>
          {(url) => <video src={`${url()}#t=0.001`} preload="metadata" muted playsinline aria-label={`First frame of ${c().name}`} />}
        </Show>
        <Show when={props.picked > 0}>
          <span class="clip-card__order">
            <span class="visually-hidden">Picked, position </span>
            {props.picked}
          </span>
        </Show>
      </div>
      <div class="clip-card__body">
        <p class="clip-card__name" title={c().name}>
          {c().name}
        </p>
        <Show when={c().status === "ready"} fallback={<p class="field__error">{c().error ?? "Still uploading"}</p>}>
          <p class="clip-card__meta" data-testid="clip-meta">
            {formatSeconds(c().durationMs ?? 0)} · {describeFormat(c())}
          </p>
        </Show>
      </div>
      <div class="clip-card__actions">
        <Show when={c().status === "ready"}>
          <button
            type="button"
            class="button button--small"
            classList={{ "button--primary": props.picked > 0, "button--secondary": props.picked === 0 }}
            aria-pressed={props.picked > 0}
            onClick={() => props.onToggle()}
          >
            {props.picked > 0 ? "Picked" : "Pick"}
          </button>
        </Show>
        <button type="button" class="button button--danger button--small" aria-label={`Delete ${c().name}`} onClick={() => props.onDelete()}>
          Delete
        </button>
      </div>
    </li>
  );
}

export function ClipsPanel(props: { app: AppSummary | undefined; clips: ClipList; disabled: boolean; picked: string[]; onToggle: (id: string) => void }) {
  const limit = () => `up to ${formatBytes(rangeOf(props.app, "clipBytes").max)} and ${rangeOf(props.app, "clipSeconds").max} s each`;
  const inputId = createUniqueId();
  const take = (files: FileList | null) => {
    for (const file of Array.from(files ?? [])) void props.clips.upload(file);
  };
  return (
    <Panel title="Clips">
      <div class="stack stack--tight">
        <label class="clip-drop" for={inputId} classList={{ "is-disabled": props.disabled }}>
          <span class="clip-drop__label">Choose MP4 clips to upload</span>
          <span class="field__hint">H.264 video, AAC audio or none · {props.app ? limit() : "…"} · sent in 5 MB parts, a failed part is sent again on its own</span>
          <input
            id={inputId}
            class="visually-hidden"
            type="file"
            accept="video/mp4"
            multiple
            disabled={props.disabled}
            data-testid="clip-input"
            onChange={(e) => {
              take(e.currentTarget.files);
              e.currentTarget.value = "";
            }}
          />
        </label>
        <Show when={props.clips.uploads().length > 0}>
          <ul class="clip-uploads">
            <For each={props.clips.uploads()}>{(u) => <UploadRow upload={u} onDismiss={() => props.clips.dismiss(u.id)} />}</For>
          </ul>
        </Show>
        <Loaded of={props.clips.list} onRetry={props.clips.refetch} skeleton={<Skeleton width="100%" height="8rem" />}>
          {(list) => (
            <Show when={list().length > 0} fallback={<EmptyState title="No clips yet">Upload two or more clips of the same format to mix them.</EmptyState>}>
              <ul class="clip-grid" data-testid="clips">
                <For each={list()}>
                  {(clip) => <ClipCard clip={clip} picked={props.picked.indexOf(clip.id) + 1} onToggle={() => props.onToggle(clip.id)} onDelete={() => void props.clips.remove(clip.id)} />}
                </For>
              </ul>
            </Show>
          )}
        </Loaded>
      </div>
    </Panel>
  );
}
