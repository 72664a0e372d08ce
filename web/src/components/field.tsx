/** A labelled input with its hint and error, wired up for assistive tech. */
import { Show, createUniqueId, splitProps, type JSX } from "solid-js";

type FieldProps = JSX.InputHTMLAttributes<HTMLInputElement> & { label: string; hint?: string; error?: string | undefined };

export function Field(props: FieldProps) {
  const [own, input] = splitProps(props, ["label", "hint", "error"]);
  const id = createUniqueId();
  const describedBy = () => [own.hint ? `${id}-hint` : "", own.error ? `${id}-error` : ""].filter(Boolean).join(" ") || undefined;
  return (
    <div class="field" classList={{ "field--invalid": !!own.error }}>
      <label class="field__label" for={id}>
        {own.label}
      </label>
      <input class="field__input" id={id} aria-invalid={own.error ? "true" : undefined} aria-describedby={describedBy()} {...input} />
      <Show when={own.hint && !own.error}>
        <p class="field__hint" id={`${id}-hint`}>
          {own.hint}
        </p>
      </Show>
      <Show when={own.error}>
        <p class="field__error" id={`${id}-error`}>
          {own.error}
        </p>
      </Show>
    </div>
  );
}
