/**
 * A file picker that also takes a dropped file: the label is the drop zone, the real input stays
 * keyboard-reachable. Under it, the server's upload rule in words.
 */
import { Show, createSignal, createUniqueId, type JSX } from "solid-js";
import { acceptedTypes, uploadHint } from "../lib/image-file";
import type { UploadRule } from "../stores/catalog";

export function ImageDrop(props: {
  label: string;
  rule: UploadRule;
  onFile: (file: File) => void;
  /** A preview of the chosen image (an object or signed URL). */
  preview?: string | null;
  previewAlt?: string;
  error?: string | null;
  disabled?: boolean;
  children?: JSX.Element;
}) {
  const id = createUniqueId();
  const [over, setOver] = createSignal(false);
  const take = (files: FileList | null | undefined) => {
    const file = files?.[0];
    if (file && !props.disabled) props.onFile(file);
  };
  return (
    <div class="drop-field">
      <input
        id={id}
        class="drop__input"
        type="file"
        accept={acceptedTypes(props.rule)}
        disabled={props.disabled}
        aria-describedby={`${id}-hint${props.error ? ` ${id}-error` : ""}`}
        aria-invalid={props.error ? "true" : undefined}
        onChange={(e) => {
          take(e.currentTarget.files);
          // The same file picked again after a fix still fires change.
          e.currentTarget.value = "";
        }}
      />
      <label
        for={id}
        class="drop"
        classList={{ "is-over": over(), "is-invalid": !!props.error, "is-disabled": !!props.disabled }}
        onDragEnter={(e) => {
          e.preventDefault();
          setOver(true);
        }}
        onDragOver={(e) => {
          e.preventDefault();
          if (e.dataTransfer) e.dataTransfer.dropEffect = "copy";
        }}
        onDragLeave={() => setOver(false)}
        onDrop={(e) => {
          e.preventDefault();
          setOver(false);
          take(e.dataTransfer?.files);
        }}
      >
        <span class="drop__preview" aria-hidden="true">
          <Show when={props.preview} fallback={<DropIcon />}>
            {(src) => <img src={src()} alt="" />}
          </Show>
        </span>
        <span class="drop__text">
          <span class="drop__label">{props.label}</span>
          <span class="drop__hint" id={`${id}-hint`}>
            {uploadHint(props.rule)}
          </span>
        </span>
      </label>
      <Show when={props.error}>
        <p class="field__error" id={`${id}-error`} role="alert">
          {props.error}
        </p>
      </Show>
      {props.children}
    </div>
  );
}

function DropIcon() {
  return (
    <svg aria-hidden="true" viewBox="0 0 24 24" width="24" height="24" fill="none" stroke="currentColor" stroke-width="1.8" stroke-linecap="round" stroke-linejoin="round">
      <path d="M12 16V4M7 9l5-5 5 5" />
      <path d="M4 16v3a1 1 0 0 0 1 1h14a1 1 0 0 0 1-1v-3" />
    </svg>
  );
}
