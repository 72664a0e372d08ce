/** Which model a generation runs on: each app's models with their tier and price; a model above the plan says which plan unlocks it. */
import { A } from "@solidjs/router";
import { Show } from "solid-js";
import type { AppSummary } from "../stores/studio";
import { ChoiceGroup } from "./choice-group";

export type Model = AppSummary["models"][number];
export type Tier = Model["tier"];

const RANK: Record<Tier, number> = { free: 0, pro: 1, enterprise: 2 };
const PLAN: Record<Tier, string> = { free: "Free", pro: "Pro", enterprise: "Enterprise" };

/** Why this model cannot run for this caller, or null. */
export function modelBlocker(model: Model | undefined, tier: Tier): string | null {
  if (!model) return null;
  if (!model.available) return `${model.name} is not set up on this server.`;
  if (RANK[model.tier] > RANK[tier]) return `${model.name} needs the ${PLAN[model.tier]} plan.`;
  return null;
}

export function ModelPicker(props: { models: readonly Model[]; value: string; onChange: (id: string) => void; tier: Tier; action: string }) {
  const selected = () => props.models.find((m) => m.id === props.value);
  const label = (m: Model) => (m.tier === "free" ? m.name : `${m.name} · ${PLAN[m.tier]}`);
  return (
    <div class="model-picker">
      <ChoiceGroup legend="Model" options={props.models.map((m) => ({ value: m.id, label: label(m) }))} value={props.value} onChange={props.onChange} />
      <Show when={selected()}>
        {(m) => (
          <p class="field__hint" data-testid="model-note">
            {m().credits[props.action] ?? "?"} credits per {props.action}
            <Show when={modelBlocker(m(), props.tier)}>
              {(why) => (
                <>
                  {" "}
                  · {why()}{" "}
                  <Show when={m().available}>
                    <A href="/credits">See plans</A>
                  </Show>
                </>
              )}
            </Show>
          </p>
        )}
      </Show>
    </div>
  );
}
