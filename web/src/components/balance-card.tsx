/** Available, total and held credits; skeletons of the same size while loading, never a stand-in 0. */
import { A } from "@solidjs/router";
import { Show } from "solid-js";
import { formatCredits } from "../lib/format";
import type { BalanceStore } from "../stores/balance";
import { Loaded } from "./loaded";
import { Panel } from "./panel";
import { Skeleton } from "./skeleton";

function Figures(props: { available: string | null; balance: string | null; held: string | null }) {
  return (
    <div class="balance">
      <div class="balance__main">
        <p class="balance__label">Available</p>
        <p class="balance__value" data-testid="balance-available">
          {props.available ?? <Skeleton width="6ch" height="var(--balance-line)" />}
        </p>
        <p class="balance__unit">credits</p>
      </div>
      <dl class="balance__stats">
        <div class="stat">
          <dt class="stat__label">Total</dt>
          <dd class="stat__value" data-testid="balance-total">
            {props.balance ?? <Skeleton width="5ch" height="var(--stat-line)" />}
          </dd>
        </div>
        <div class="stat">
          <dt class="stat__label">On hold</dt>
          <dd class="stat__value" data-testid="balance-held">
            {props.held ?? <Skeleton width="4ch" height="var(--stat-line)" />}
          </dd>
        </div>
      </dl>
    </div>
  );
}

export function BalanceCard(props: { store: BalanceStore; title?: string; showHistoryLink?: boolean }) {
  const b = props.store.balance;
  return (
    <Panel
      title={props.title ?? "Credits"}
      class="panel--balance"
      busy={b.state === "pending" || b.state === "unresolved"}
      actions={
        <Show when={props.showHistoryLink}>
          <A href="/credits" class="panel__link">
            History
          </A>
        </Show>
      }
    >
      <Loaded of={b} onRetry={props.store.refetch} skeleton={<Figures available={null} balance={null} held={null} />}>
        {(value) => (
          <>
            <Show when={value().unlimited} fallback={<Figures available={formatCredits(value().available)} balance={formatCredits(value().balance)} held={formatCredits(value().held)} />}>
              <Figures available="Unlimited" balance={formatCredits(value().balance)} held={formatCredits(value().held)} />
            </Show>
            <Show when={value().dailyQuota}>
              {(quota) => (
                <p class="balance__quota" data-testid="quota-today">
                  Today: {formatCredits(quota().used)} of {formatCredits(quota().limit)} free poses used
                </p>
              )}
            </Show>
          </>
        )}
      </Loaded>
    </Panel>
  );
}
