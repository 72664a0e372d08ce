/** A set of radio buttons shown as one segmented control: a fieldset, so the legend names the choice. */
import { For, createUniqueId } from "solid-js";

export interface Choice<T extends string> {
  value: T;
  label: string;
}

export function ChoiceGroup<T extends string>(props: { legend: string; options: readonly Choice<T>[]; value: T; onChange: (value: T) => void; hideLegend?: boolean; disabled?: boolean }) {
  const name = createUniqueId();
  return (
    <fieldset class="choices" disabled={props.disabled}>
      <legend class="choices__legend" classList={{ "visually-hidden": !!props.hideLegend }}>
        {props.legend}
      </legend>
      <div class="choices__options">
        <For each={props.options}>
          {(option) => (
            <label class="choices__option" classList={{ "is-checked": props.value === option.value }}>
              <input class="choices__input" type="radio" name={name} value={option.value} checked={props.value === option.value} onChange={() => props.onChange(option.value)} />
              <span>{option.label}</span>
            </label>
          )}
        </For>
      </div>
    </fieldset>
  );
}
