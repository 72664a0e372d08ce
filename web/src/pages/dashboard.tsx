/** Home: live balance, the studio's apps and the latest generations, each panel loading on its own. */
import { A } from "@solidjs/router";
import { For, Show } from "solid-js";
import { AccountStatsPanel } from "../components/account-stats";
import { AppIcon } from "../components/app-icon";
import { BalanceCard } from "../components/balance-card";
import { Loaded } from "../components/loaded";
import { Page } from "../components/page";
import { EmptyState, Panel } from "../components/panel";
import { Skeleton } from "../components/skeleton";
import { StatusBadge } from "../components/status-badge";
import { formatCredits, formatRelative } from "../lib/format";
import { useAccount } from "../stores/account";
import { createStatsStore } from "../stores/stats";
import { createSubscriptionStore } from "../stores/billing";
import { PlanCard } from "./billing/plan-card";
import { currentUser } from "../stores/session";
import { appPath, createAppsStore, createRecentGenerationsStore, isNotOffered, type AppSummary, type Generation } from "../stores/studio";

const SKELETON_APPS = 3;
const SKELETON_ROWS = 3;

/** "pose-generator" → "Pose generator", "backgroundChanger" → "background changer". */
const humanize = (id: string) =>
  id
    .replace(/[-_]/g, " ")
    .replace(/([a-z])([A-Z])/g, "$1 $2")
    .toLowerCase();
const capitalize = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/** The app's main action comes first in its price list; add-ons follow. */
function price(app: AppSummary): string {
  const [action, cost] = Object.entries(app.credits)[0] ?? [];
  if (action === undefined || cost === undefined) return "Free";
  return `${formatCredits(cost)} credits per ${humanize(action)}`;
}

function AppCard(props: { app: AppSummary }) {
  const href = () => (props.app.enabled ? appPath(props.app.id) : null);
  return (
    <li class="app-card" classList={{ "is-disabled": !props.app.enabled, "is-link": !!href() }}>
      <div class="app-card__head">
        <AppIcon name={props.app.icon} label={props.app.name} />
        <h3 class="app-card__name">
          {/* The link covers the whole card (see .app-card.is-link); its name is the app's. */}
          <Show when={href()} fallback={props.app.name}>
            {(path) => (
              <A href={path()} class="app-card__link">
                {props.app.name}
              </A>
            )}
          </Show>
        </h3>
        <Show when={props.app.beta}>
          <span class="badge badge--accent">Beta</span>
        </Show>
      </div>
      <p class="app-card__text">{props.app.description}</p>
      <p class="app-card__meta">
        {props.app.enabled ? price(props.app) : "Coming soon"}
        <Show when={href()}>
          <span class="app-card__go" aria-hidden="true">
            Open →
          </span>
        </Show>
      </p>
    </li>
  );
}

function AppsSkeleton() {
  return (
    <ul class="app-grid fill-grid" aria-hidden="true">
      <For each={Array.from({ length: SKELETON_APPS })}>
        {() => (
          <li class="app-card app-card--skeleton">
            <Skeleton width="60%" height="1.5rem" />
            <Skeleton width="100%" height="2.6rem" />
            <Skeleton width="40%" height="1rem" />
          </li>
        )}
      </For>
    </ul>
  );
}

function GenerationRow(props: { generation: Generation; appName: string }) {
  const g = () => props.generation;
  return (
    <li class="row row--link">
      <div class="row__main">
        <p class="row__title">
          <A href={`/generations/${g().id}`} class="row__link">
            {props.appName}
          </A>
        </p>
        <p class="row__meta">
          {g().completed} of {g().total} done · {formatRelative(g().createdAt)}
        </p>
      </div>
      <StatusBadge status={g().status} />
    </li>
  );
}

function RowsSkeleton() {
  return (
    <ul class="rows" aria-hidden="true">
      <For each={Array.from({ length: SKELETON_ROWS })}>
        {() => (
          <li class="row">
            <div class="row__main">
              <Skeleton width="40%" height="var(--row-title)" />
              <Skeleton width="60%" height="var(--row-meta)" />
            </div>
          </li>
        )}
      </For>
    </ul>
  );
}

export default function Dashboard() {
  const { balance } = useAccount();
  const apps = createAppsStore();
  const recent = createRecentGenerationsStore();
  const subscription = createSubscriptionStore();
  const stats = createStatsStore();
  const firstName = () => currentUser()?.name.split(" ")[0] ?? "";
  const appName = (id: string) => (apps.apps.state === "ready" ? apps.apps().find((a) => a.id === id)?.name : undefined) ?? capitalize(humanize(id));

  return (
    <Page title="Dashboard" lead={`Welcome back, ${firstName()}.`}>
      <div class="dashboard">
        <div class="dashboard__side">
          <BalanceCard store={balance} showHistoryLink />
          <PlanCard store={subscription} />
        </div>
        <Panel title="Recent generations" class="panel--recent" busy={recent.generations.loading}>
          <Loaded
            of={recent.generations}
            onRetry={recent.refetch}
            skeleton={<RowsSkeleton />}
            special={(e) => (isNotOffered(e) ? <EmptyState title="No generations yet">Your image jobs will show up here while they run.</EmptyState> : undefined)}
          >
            {(list) => (
              <Show when={list().length > 0} fallback={<EmptyState title="No generations yet">Pick an app below to make your first images.</EmptyState>}>
                <ul class="rows">
                  <For each={list()}>{(g) => <GenerationRow generation={g} appName={appName(g.appId)} />}</For>
                </ul>
              </Show>
            )}
          </Loaded>
        </Panel>
        <AccountStatsPanel store={stats} appName={appName} />
        <Panel title="Apps" class="panel--apps" busy={apps.apps.loading}>
          <Loaded
            of={apps.apps}
            onRetry={apps.refetch}
            skeleton={<AppsSkeleton />}
            special={(e) => (isNotOffered(e) ? <EmptyState title="Apps are on their way">Avatar creator, pose generator and the other studio apps will appear here soon.</EmptyState> : undefined)}
          >
            {(list) => (
              <Show when={list().length > 0} fallback={<EmptyState title="No apps available">Check back soon.</EmptyState>}>
                <ul class="app-grid fill-grid">
                  <For each={list()}>{(app) => <AppCard app={app} />}</For>
                </ul>
              </Show>
            )}
          </Loaded>
        </Panel>
      </div>
    </Page>
  );
}
