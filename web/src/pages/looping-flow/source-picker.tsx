/** The still a loop starts from: a new upload (checked in the browser first) or one of the user's finished outputs. */
import { For, Match, Show, Switch, createSignal } from "solid-js";
import { ChoiceGroup } from "../../components/choice-group";
import { ErrorNotice } from "../../components/error-notice";
import { ImageDrop } from "../../components/image-drop";
import { Loaded } from "../../components/loaded";
import { EmptyState, Panel } from "../../components/panel";
import { Skeleton } from "../../components/skeleton";
import { checkImageFile, ImageProblem } from "../../lib/image-file";
import type { UploadRule } from "../../stores/catalog";
import { appLabel } from "../../stores/studio";
import { createSourcesStore, uploadStill } from "../../stores/loops";

export type PickedSource = { body: { uploadId: string } | { generationId: string; itemKey: string }; thumbnailUrl: string | null; label: string };

type Mode = "outputs" | "upload";
const MODES = [
  { value: "outputs", label: "From my images" },
  { value: "upload", label: "Upload" },
] as const;

function UploadStill(props: { projectId: string | undefined; rule: UploadRule; onPicked: (s: PickedSource) => void }) {
  const [problem, setProblem] = createSignal<string | null>(null);
  const [error, setError] = createSignal<unknown>(null);
  const [busy, setBusy] = createSignal(false);

  async function take(file: File) {
    const projectId = props.projectId;
    setProblem(null);
    setError(null);
    if (!projectId) return;
    try {
      await checkImageFile(file, props.rule);
    } catch (e) {
      setProblem(e instanceof ImageProblem ? e.message : "This file could not be read.");
      return;
    }
    setBusy(true);
    try {
      const upload = await uploadStill(projectId, file);
      props.onPicked({ body: { uploadId: upload.id }, thumbnailUrl: upload.thumbnailUrl, label: `${file.name} · ${upload.width}×${upload.height}` });
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  }

  return (
    <div class="stack stack--tight">
      <ImageDrop
        label={busy() ? "Uploading…" : "Drop a still here, or choose one"}
        rule={props.rule}
        preview={null}
        error={problem()}
        disabled={!props.projectId || busy()}
        onFile={(file) => void take(file)}
      />
      <Show when={error()}>
        <ErrorNotice error={error()} urgent />
      </Show>
    </div>
  );
}

function OutputGrid(props: { picked: PickedSource | null; onPicked: (s: PickedSource) => void }) {
  const store = createSourcesStore();
  const isPicked = (generationId: string, itemKey: string) => {
    const body = props.picked?.body;
    return !!body && "generationId" in body && body.generationId === generationId && body.itemKey === itemKey;
  };
  return (
    <Loaded of={store.sources} onRetry={store.refetch} skeleton={<Skeleton width="100%" height="8rem" />}>
      {(list) => (
        <Show when={list().length > 0} fallback={<EmptyState title="No finished images yet">Make poses or avatars first, or upload a still.</EmptyState>}>
          <ul class="loop-sources" data-testid="loop-sources">
            <For each={list()}>
              {(s, i) => {
                const label = () => `${appLabel(s.appId)} image ${i() + 1}`;
                return (
                  <li>
                    <button
                      type="button"
                      class="loop-sources__item"
                      aria-pressed={isPicked(s.generationId, s.itemKey)}
                      aria-label={`Use ${label()}`}
                      onClick={() => props.onPicked({ body: { generationId: s.generationId, itemKey: s.itemKey }, thumbnailUrl: s.thumbnailUrl ?? s.imageUrl, label: label() })}
                    >
                      <img src={s.thumbnailUrl ?? s.imageUrl} alt="" loading="lazy" />
                    </button>
                  </li>
                );
              }}
            </For>
          </ul>
        </Show>
      )}
    </Loaded>
  );
}

export function SourcePicker(props: { projectId: string | undefined; rule: UploadRule | undefined; picked: PickedSource | null; onPicked: (s: PickedSource) => void }) {
  const [mode, setMode] = createSignal<Mode>("outputs");
  return (
    <Panel title="Choose a still">
      <div class="stack stack--tight">
        <ChoiceGroup legend="Where the still comes from" hideLegend options={MODES} value={mode()} onChange={setMode} />
        <Switch>
          <Match when={mode() === "upload"}>
            <Show when={props.rule} fallback={<Skeleton width="100%" height="6.5rem" />}>
              {(rule) => <UploadStill projectId={props.projectId} rule={rule()} onPicked={props.onPicked} />}
            </Show>
          </Match>
          <Match when={true}>
            <OutputGrid picked={props.picked} onPicked={props.onPicked} />
          </Match>
        </Switch>
        <Show when={props.picked}>
          {(p) => (
            <div class="loop-picked" data-testid="loop-picked">
              <Show when={p().thumbnailUrl}>{(src) => <img src={src()} alt="" />}</Show>
              <p class="field__hint">Looping: {p().label}</p>
            </div>
          )}
        </Show>
      </div>
    </Panel>
  );
}
