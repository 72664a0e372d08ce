/** Upload a photo as an avatar: checked in the browser against the server's rule, named, then sent. */
import { Show, createSignal, onCleanup } from "solid-js";
import { ErrorNotice } from "../../components/error-notice";
import { Field } from "../../components/field";
import { ImageDrop } from "../../components/image-drop";
import { Panel } from "../../components/panel";
import { Skeleton } from "../../components/skeleton";
import { fieldErrors } from "../../lib/form";
import { checkImageFile, ImageProblem, type CheckedImage } from "../../lib/image-file";
import type { AvatarList } from "../../stores/avatars";
import type { CatalogStore, UploadRule } from "../../stores/catalog";
import { NAME_MAX, nameFromFile } from "./avatar-name";

/** The drop zone waits for the catalogue's upload rule; if that fails, the Generate panel below shows it with Retry. */
export function UploadPanel(props: { list: AvatarList; catalog: CatalogStore; disabled: boolean }) {
  const [chosen, setChosen] = createSignal<(CheckedImage & { url: string }) | null>(null);
  const [problem, setProblem] = createSignal<string | null>(null);
  const [name, setName] = createSignal("");
  const [busy, setBusy] = createSignal(false);
  const [error, setError] = createSignal<unknown>(null);
  const [done, setDone] = createSignal<string | null>(null);
  const nameError = () => fieldErrors(error(), ["name"]).name;

  function choose(next: (CheckedImage & { url: string }) | null) {
    const previous = chosen();
    if (previous) URL.revokeObjectURL(previous.url);
    setChosen(next);
  }
  onCleanup(() => choose(null));

  async function take(file: File, rule: UploadRule) {
    setProblem(null);
    setError(null);
    setDone(null);
    try {
      const checked = await checkImageFile(file, rule);
      choose({ ...checked, url: URL.createObjectURL(file) });
      if (!name().trim()) setName(nameFromFile(file));
    } catch (e) {
      choose(null);
      setProblem(e instanceof ImageProblem ? e.message : "This file could not be read.");
    }
  }

  async function submit(event: SubmitEvent) {
    event.preventDefault();
    const image = chosen();
    if (!image || busy() || !name().trim()) return;
    setBusy(true);
    setError(null);
    try {
      const avatar = await props.list.upload(image.file, name().trim());
      setDone(`Uploaded “${avatar.name}”.`);
      choose(null);
      setName("");
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  }

  return (
    <Panel title="Upload a photo" busy={!props.catalog.uploads() && props.catalog.apps.state !== "errored"}>
      <form class="stack stack--tight" onSubmit={submit}>
        <Show when={props.catalog.uploads()} fallback={<Skeleton width="100%" height="6.5rem" />}>
          {(rule) => (
            <ImageDrop
              label={chosen() ? "Choose another photo" : "Drop a photo here, or choose one"}
              rule={rule()}
              preview={chosen()?.url ?? null}
              error={problem()}
              disabled={props.disabled || busy()}
              onFile={(file) => void take(file, rule())}
            >
              <Show when={chosen()}>
                {(c) => (
                  <p class="field__hint" data-testid="upload-checked">
                    Ready: {c().format.toUpperCase()} · {c().width}×{c().height} px
                  </p>
                )}
              </Show>
            </ImageDrop>
          )}
        </Show>
        <Field label="Avatar name" name="avatar-name" required maxLength={NAME_MAX} autocomplete="off" value={name()} onInput={(e) => setName(e.currentTarget.value)} error={nameError()} />
        <Show when={error() && !nameError()}>
          <ErrorNotice error={error()} urgent />
        </Show>
        <p class="visually-hidden" aria-live="polite">
          {done()}
        </p>
        <Show when={done()}>
          <p class="notice notice--success" aria-hidden="true">
            {done()}
          </p>
        </Show>
        <div>
          <button type="submit" class="button button--primary" disabled={props.disabled || busy() || !chosen() || !name().trim()}>
            {busy() ? "Uploading…" : "Upload avatar"}
          </button>
        </div>
      </form>
    </Panel>
  );
}
