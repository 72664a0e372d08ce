/** The background: kept, a solid colour, a described one, or an uploaded image (checked in the browser first). */
import { Match, Show, Switch, createUniqueId } from "solid-js";
import { ChoiceGroup } from "../../components/choice-group";
import { ErrorNotice } from "../../components/error-notice";
import { Field } from "../../components/field";
import { ImageDrop } from "../../components/image-drop";
import { ApiError } from "../../lib/api";
import type { UploadRule } from "../../stores/catalog";
import type { BackgroundChoice, PoseForm, PoseLimits } from "../../stores/pose-form";

const BACKGROUNDS = [
  { value: "none", label: "Keep" },
  { value: "solid_color", label: "Colour" },
  { value: "ai_generate", label: "Describe" },
  { value: "upload", label: "Upload" },
] as const satisfies readonly { value: BackgroundChoice; label: string }[];

export function BackgroundOptions(props: { form: PoseForm; limits: PoseLimits; uploads: UploadRule; errors: Record<string, string>; serverError: string | undefined }) {
  const f = props.form;
  const colorId = createUniqueId();
  /** What is wrong with the file itself sits under the drop zone; other failures (429, offline…) get the full notice. */
  const uploadProblem = () => {
    const e = f.uploadError();
    return f.uploadProblem() ?? (e instanceof ApiError && [413, 415, 422].includes(e.status) ? e.message : null);
  };
  return (
    <div class="stack stack--tight">
      <ChoiceGroup legend="Background" options={BACKGROUNDS} value={f.background()} onChange={f.setBackground} />
      <Switch>
        <Match when={f.background() === "none"}>
          <p class="panel__text">The background comes out as generated.</p>
        </Match>
        <Match when={f.background() === "solid_color"}>
          <div class="field" classList={{ "field--invalid": !!(f.colorProblem() ?? props.errors.backgroundColor) }}>
            <label class="field__label" for={colorId}>
              Background colour
            </label>
            <div class="color-field">
              <input
                class="color-field__swatch"
                type="color"
                aria-label="Pick a colour"
                value={/^#[0-9a-f]{6}$/i.test(f.backgroundColor()) ? f.backgroundColor() : "#000000"}
                onInput={(e) => f.setBackgroundColor(e.currentTarget.value)}
              />
              <input
                id={colorId}
                class="field__input color-field__hex"
                maxLength={7}
                spellcheck={false}
                autocomplete="off"
                value={f.backgroundColor()}
                onInput={(e) => f.setBackgroundColor(e.currentTarget.value.trim())}
                aria-invalid={f.colorProblem() ? "true" : undefined}
              />
            </div>
            <Show when={f.colorProblem() ?? props.errors.backgroundColor}>{(problem) => <p class="field__error">{problem()}</p>}</Show>
          </div>
        </Match>
        <Match when={f.background() === "ai_generate"}>
          <Field
            label="Describe the background"
            hint={`${props.limits.backgroundPrompt.min}–${props.limits.backgroundPrompt.max} characters`}
            maxLength={props.limits.backgroundPrompt.max}
            placeholder="e.g. sunny beach at golden hour"
            value={f.backgroundPrompt()}
            onInput={(e) => f.setBackgroundPrompt(e.currentTarget.value)}
            error={(f.backgroundPrompt().trim() ? f.backgroundPromptProblem() : null) ?? props.serverError ?? props.errors.backgroundPrompt}
          />
        </Match>
        <Match when={f.background() === "upload"}>
          <ImageDrop
            label={f.uploading() ? "Uploading…" : f.upload() ? "Replace the background image" : "Drop a background image here, or choose one"}
            rule={props.uploads}
            preview={f.upload()?.thumbnailUrl ?? null}
            error={uploadProblem()}
            disabled={f.uploading()}
            onFile={(file) => void f.uploadBackground(file)}
          >
            <Show when={f.uploadError() && !uploadProblem()}>
              <ErrorNotice error={f.uploadError()} />
            </Show>
            <Show when={f.upload()}>
              {(u) => (
                <p class="field__hint">
                  Uploaded · {u().width}×{u().height} px
                </p>
              )}
            </Show>
          </ImageDrop>
        </Match>
      </Switch>
    </div>
  );
}
