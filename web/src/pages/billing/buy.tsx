/** Credit packages and plans with their prices in rupiah, each with its Buy button. */
import { For, Show } from "solid-js";
import { ErrorNotice } from "../../components/error-notice";
import { Loaded } from "../../components/loaded";
import { Panel } from "../../components/panel";
import { Skeleton } from "../../components/skeleton";
import { formatCredits, formatRupiah } from "../../lib/format";
import type { createCatalogStore, createCheckout, CreditPackage, Plan } from "../../stores/billing";

type Catalog = ReturnType<typeof createCatalogStore>;
type Checkout = ReturnType<typeof createCheckout>;

function Offers(props: { count: number }) {
  return (
    <ul class="offers" aria-hidden="true">
      <For each={Array.from({ length: props.count })}>
        {() => (
          <li class="offer">
            <Skeleton width="50%" height="1.25rem" />
            <Skeleton width="70%" height="2rem" />
            <Skeleton width="100%" height="2.5rem" />
          </li>
        )}
      </For>
    </ul>
  );
}

function BuyButton(props: { id: string; name: string; checkout: Checkout; onBuy: () => void }) {
  return (
    <button type="button" class="button button--primary button--block" disabled={props.checkout.busy() !== null} aria-label={`Buy ${props.name}`} onClick={props.onBuy}>
      {props.checkout.busy() === props.id ? "Opening payment…" : "Buy"}
    </button>
  );
}

function PackageOffer(props: { item: CreditPackage; checkout: Checkout }) {
  const p = () => props.item;
  return (
    <li class="offer" data-testid={`package-${p().id}`}>
      <h3 class="offer__name">{p().name}</h3>
      <p class="offer__credits">
        {formatCredits(p().credits + p().bonusCredits)} <span class="offer__unit">credits</span>
      </p>
      <p class="offer__note">
        <Show when={p().bonusCredits > 0} fallback="">
          <span class="badge badge--accent">+{formatCredits(p().bonusCredits)} bonus</span>
        </Show>
      </p>
      <p class="offer__price">{formatRupiah(p().price)}</p>
      <BuyButton id={p().id} name={p().name} checkout={props.checkout} onBuy={() => void props.checkout.buy({ packageId: p().id })} />
    </li>
  );
}

function PlanOffer(props: { item: Plan; checkout: Checkout }) {
  const p = () => props.item;
  const perk = () => (p().unlimited ? "Unlimited generations" : p().dailyPoseQuota !== null ? `${formatCredits(p().dailyPoseQuota!)} free poses a day` : "");
  return (
    <li class="offer" data-testid={`plan-${p().id}`}>
      <h3 class="offer__name">{p().name}</h3>
      <p class="offer__credits">
        {p().periodDays} <span class="offer__unit">days</span>
      </p>
      <p class="offer__note">
        {perk()} · {p().tier === "enterprise" ? "every model" : "Pro models"}
      </p>
      <p class="offer__price">{formatRupiah(p().price)}</p>
      <BuyButton id={p().id} name={`the ${p().name} plan`} checkout={props.checkout} onBuy={() => void props.checkout.buy({ planId: p().id })} />
    </li>
  );
}

export function BuyPanels(props: { catalog: Catalog; checkout: Checkout }) {
  return (
    <>
      <Show when={props.checkout.error()}>
        <ErrorNotice error={props.checkout.error()} />
      </Show>
      <Panel title="Buy credits" class="panel--packages" busy={props.catalog.packages.loading}>
        <Loaded of={props.catalog.packages} onRetry={props.catalog.refetch} skeleton={<Offers count={3} />}>
          {(list) => (
            <ul class="offers">
              <For each={list()}>{(item) => <PackageOffer item={item} checkout={props.checkout} />}</For>
            </ul>
          )}
        </Loaded>
      </Panel>
      <Panel title="Plans" class="panel--plans" busy={props.catalog.plans.loading}>
        <Loaded of={props.catalog.plans} onRetry={props.catalog.refetch} skeleton={<Offers count={2} />}>
          {(list) => (
            <ul class="offers offers--plans">
              <For each={list()}>{(item) => <PlanOffer item={item} checkout={props.checkout} />}</For>
            </ul>
          )}
        </Loaded>
      </Panel>
    </>
  );
}
