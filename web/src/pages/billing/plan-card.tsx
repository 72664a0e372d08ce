/** The dashboard's plan: the running plan and its end date, or free (today's quota use is on the balance card). */
import { A } from "@solidjs/router";
import { Show } from "solid-js";
import { Loaded } from "../../components/loaded";
import { Panel } from "../../components/panel";
import { Skeleton } from "../../components/skeleton";
import { formatDate } from "../../lib/format";
import type { createSubscriptionStore } from "../../stores/billing";
import "./billing.css";

export function PlanCard(props: { store: ReturnType<typeof createSubscriptionStore> }) {
  return (
    <Panel
      title="Plan"
      class="panel--plan"
      busy={props.store.subscription.loading}
      actions={
        <A href="/credits" class="panel__link">
          Plans
        </A>
      }
    >
      <Loaded of={props.store.subscription} onRetry={props.store.refetch} skeleton={<Skeleton width="60%" height="2rem" />}>
        {(sub) => (
          <div class="plan-card" data-testid="plan-card">
            <Show when={sub()} fallback={<p class="plan-card__name">Free</p>}>
              {(s) => (
                <>
                  <p class="plan-card__name">
                    {s().plan.name} <span class="badge badge--accent">{s().tier === "enterprise" ? "Enterprise" : "Pro"}</span>
                  </p>
                  <p class="plan-card__meta">Runs until {formatDate(s().endsAt)}</p>
                  <Show when={s().plan.unlimited}>
                    <p class="plan-card__meta">Unlimited generations</p>
                  </Show>
                </>
              )}
            </Show>
          </div>
        )}
      </Loaded>
    </Panel>
  );
}
