/** What a generation will cost against what is available; when short, the way to more credits. */
import { A } from "@solidjs/router";
import { For, Show } from "solid-js";
import { formatCredits } from "../lib/format";

export interface CostLine {
  label: string;
  amount: number;
}

export function CostPreview(props: {
  lines: readonly CostLine[];
  total: number;
  /** Available credits; null while unknown, Infinity when unlimited. */
  available: number | null;
}) {
  const short = () => (props.available === null ? 0 : Math.max(0, props.total - props.available));
  return (
    <div class="cost" data-testid="cost-preview">
      <dl class="cost__lines">
        <For each={props.lines}>
          {(line) => (
            <div class="cost__line">
              <dt>{line.label}</dt>
              <dd class="num">{formatCredits(line.amount)}</dd>
            </div>
          )}
        </For>
        <div class="cost__line cost__line--total">
          <dt>Total</dt>
          <dd class="num" data-testid="cost-total">
            {formatCredits(props.total)} credits
          </dd>
        </div>
        <div class="cost__line cost__line--available">
          <dt>Available</dt>
          <dd class="num">{props.available === null ? "…" : props.available === Infinity ? "Unlimited" : formatCredits(props.available)}</dd>
        </div>
      </dl>
      <Show when={short() > 0}>
        <div class="notice notice--warning" role="status">
          <p>
            You need {formatCredits(short())} more {short() === 1 ? "credit" : "credits"} for this.
          </p>
          <A class="button button--primary button--small" href="/credits">
            Get credits
          </A>
        </div>
      </Show>
    </div>
  );
}
