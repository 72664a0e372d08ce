/** A whole-number field kept inside a published range: what was typed is clamped and shown back. */
import { Field } from "../../components/field";
import type { Range } from "../../stores/catalog";

export function NumberField(props: { label: string; hint: string; value: number; range: Range; onChange: (n: number) => void }) {
  return (
    <Field
      label={props.label}
      hint={props.hint}
      type="number"
      inputmode="numeric"
      min={props.range.min}
      max={props.range.max}
      step={1}
      value={props.value}
      onChange={(e) => {
        props.onChange(e.currentTarget.valueAsNumber);
        e.currentTarget.value = String(props.value);
      }}
      class="field__input field__input--number"
    />
  );
}
