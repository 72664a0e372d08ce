/** The dashboard's stats: credits spent, works, projects, favourites, last sign-in, the split per app and 30 days. */
import { For, Show } from "solid-js";
import { formatCredits, formatDateTime } from "../lib/format";
import type { AccountStats as Stats, StatsStore } from "../stores/stats";
import { StackedBars } from "./chart";
import { Loaded } from "./loaded";
import { Panel } from "./panel";
import { Skeleton } from "./skeleton";

function Figure(props: { label: string; value: string; testId: string; text?: boolean }) {
  return (
    <div class="account-stats__figure" classList={{ "account-stats__figure--text": props.text }}>
      <dt class="stat__label">{props.label}</dt>
      <dd class="stat__value" data-testid={props.testId}>
        {props.value}
      </dd>
    </div>
  );
}

function StatsBody(props: { stats: Stats; appName: (id: string) => string }) {
  const apps = () => Object.entries(props.stats.byApp).sort(([, a], [, b]) => b.credits - a.credits || b.works - a.works);
  const dates = () => props.stats.daily.map((d) => d.date);
  return (
    <div class="account-stats">
      <dl class="account-stats__figures">
        <Figure label="Credits spent" value={formatCredits(props.stats.creditsSpent)} testId="stat-credits" />
        <Figure label="Works" value={formatCredits(props.stats.works)} testId="stat-works" />
        <Figure label="Projects" value={formatCredits(props.stats.projects)} testId="stat-projects" />
        <Figure label="Favourites" value={formatCredits(props.stats.favourites)} testId="stat-favourites" />
        <Figure label="Last sign-in" value={props.stats.lastLoginAt ? formatDateTime(props.stats.lastLoginAt) : "This is your first"} testId="stat-last-login" text />
      </dl>
      <div class="account-stats__split">
        <Show when={apps().length > 0} fallback={<p class="panel__text">Nothing made yet: each app's share shows here.</p>}>
          <table class="account-stats__apps" data-testid="stats-by-app">
            <caption class="visually-hidden">Works and credits per app</caption>
            <thead>
              <tr>
                <th scope="col">App</th>
                <th scope="col" class="num">
                  Works
                </th>
                <th scope="col" class="num">
                  Credits
                </th>
              </tr>
            </thead>
            <tbody>
              <For each={apps()}>
                {([appId, t]) => (
                  <tr>
                    <th scope="row">{props.appName(appId)}</th>
                    <td class="num">{formatCredits(t.works)}</td>
                    <td class="num">{formatCredits(t.credits)}</td>
                  </tr>
                )}
              </For>
            </tbody>
          </table>
        </Show>
        <StackedBars title="Credits spent per day, last 30 days" dates={dates()} series={[{ label: "Credits", color: "var(--accent)", values: props.stats.daily.map((d) => d.credits) }]} />
      </div>
    </div>
  );
}

export function AccountStatsPanel(props: { store: StatsStore; appName: (id: string) => string }) {
  return (
    <Panel title="Your studio" class="panel--stats" busy={props.store.stats.loading}>
      <Loaded of={props.store.stats} onRetry={props.store.refetch} skeleton={<Skeleton width="100%" height="12rem" />}>
        {(stats) => <StatsBody stats={stats()} appName={props.appName} />}
      </Loaded>
    </Panel>
  );
}
