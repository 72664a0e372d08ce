/** A pose from a description: the prompt, checked as it is typed, and how many variations of it. */
import { Show, createUniqueId } from "solid-js";
import type { PoseForm, PoseLimits } from "../../stores/pose-form";
import { NumberField } from "./number-field";

/** Typing may run past the limit, so the counter can say by how much; the server refuses it anyway. */
const TYPING_SLACK = 50;

export function TextMode(props: { form: PoseForm; limits: PoseLimits; serverError: string | undefined; fieldError: string | undefined }) {
  const id = createUniqueId();
  const f = props.form;
  const max = () => props.limits.prompt.max;
  const shown = () => (f.textPrompt().trim() ? (f.textProblem() ?? props.serverError ?? props.fieldError) : props.serverError);
  return (
    <div class="stack stack--tight">
      <div class="field" classList={{ "field--invalid": !!shown() }}>
        <label class="field__label" for={id}>
          Describe the pose
        </label>
        <textarea
          id={id}
          class="field__input field__textarea"
          rows="4"
          maxLength={max() + TYPING_SLACK}
          placeholder="e.g. standing with arms crossed, looking over the left shoulder"
          aria-invalid={shown() ? "true" : undefined}
          aria-describedby={`${id}-help`}
          value={f.textPrompt()}
          onInput={(e) => f.setTextPrompt(e.currentTarget.value)}
        />
        <div class="field__meta" id={`${id}-help`}>
          <Show when={shown()} fallback={<p class="field__hint">Say what the body does; plain words, no markup.</p>}>
            <p class="field__error" data-testid="prompt-error">
              {shown()}
            </p>
          </Show>
          <p class="field__count" classList={{ "is-over": f.textPrompt().trim().length > max() }}>
            {f.textPrompt().trim().length}/{max()}
          </p>
        </div>
      </div>
      <NumberField
        label="Variations"
        hint={`${props.limits.variations.min}–${props.limits.variations.max} images of this description`}
        value={f.variationCount()}
        range={props.limits.variations}
        onChange={f.setVariationCount}
      />
    </div>
  );
}
