/** Admin overview: today's totals and charts of the daily series. */
import { Show, createResource, createSignal } from "solid-js";
import { ErrorNotice } from "../../components/error-notice";
import { Page } from "../../components/page";
import { Panel } from "../../components/panel";
import { api, call } from "../../lib/api";
import { formatCredits, formatRupiah } from "../../lib/format";
import { Lines, StackedBars } from "../../components/chart";

const RANGES = ["7", "30", "90"] as const;

export function Overview() {
  const [days, setDays] = createSignal<(typeof RANGES)[number]>("30");
  const [metrics] = createResource(days, (d) => call(api.admin.metrics.$get({ query: { days: d } })));
  const dates = () => metrics()?.days.map((d) => d.date) ?? [];
  const col = (pick: (d: NonNullable<ReturnType<typeof metrics>>["days"][number]) => number) => metrics()?.days.map(pick) ?? [];
  return (
    <Page
      title="Admin overview"
      actions={
        <label class="field__label">
          Days{" "}
          <select class="field__select" value={days()} onChange={(e) => setDays(e.currentTarget.value as (typeof RANGES)[number])}>
            {RANGES.map((r) => (
              <option value={r}>{r}</option>
            ))}
          </select>
        </label>
      }
    >
      <Show when={!metrics.error} fallback={<ErrorNotice error={metrics.error} />}>
        <Show when={metrics()}>
          {(m) => (
            <div class="stack">
              <dl class="admin__figures" data-testid="admin-totals">
                <div>
                  <dt>Users</dt>
                  <dd class="num">{m().totals.users}</dd>
                </div>
                <div>
                  <dt>Queue backlog</dt>
                  <dd class="num">{m().totals.queueBacklog}</dd>
                </div>
                <div>
                  <dt>Failed items (24 h)</dt>
                  <dd class="num">{m().totals.itemsFailed24h}</dd>
                </div>
                <div>
                  <dt>Open holds</dt>
                  <dd class="num">{formatCredits(m().totals.openHolds.credits)}</dd>
                </div>
                <div>
                  <dt>Credits spent</dt>
                  <dd class="num">{formatCredits(m().totals.credits.spent)}</dd>
                </div>
                <div>
                  <dt>Credits granted</dt>
                  <dd class="num">{formatCredits(m().totals.credits.granted)}</dd>
                </div>
                <div>
                  <dt>Credits sold</dt>
                  <dd class="num">{formatCredits(m().totals.credits.sold)}</dd>
                </div>
                <div>
                  <dt>Revenue</dt>
                  <dd class="num">{formatRupiah(m().totals.revenue.IDR ?? 0)}</dd>
                </div>
              </dl>
              <div class="admin__charts">
                <Panel title="Generations by status">
                  <StackedBars
                    title="Generations per day by status"
                    dates={dates()}
                    series={[
                      { label: "Completed", color: "var(--success)", values: col((d) => d.generations.completed) },
                      { label: "Partial", color: "var(--warning-ink)", values: col((d) => d.generations.partial) },
                      { label: "Failed", color: "var(--danger)", values: col((d) => d.generations.failed) },
                      { label: "Cancelled", color: "var(--border-strong)", values: col((d) => d.generations.cancelled) },
                      { label: "Running", color: "var(--accent)", values: col((d) => d.generations.queued + d.generations.processing) },
                    ]}
                  />
                </Panel>
                <Panel title="Failed items">
                  <StackedBars title="Failed items per day" dates={dates()} series={[{ label: "Failed items", color: "var(--danger)", values: col((d) => d.itemsFailed) }]} />
                </Panel>
                <Panel title="Credits">
                  <Lines
                    title="Credits sold, spent and granted per day"
                    dates={dates()}
                    series={[
                      { label: "Spent", color: "var(--accent)", values: col((d) => d.creditsSpent) },
                      { label: "Granted", color: "var(--success)", values: col((d) => d.creditsGranted) },
                      { label: "Sold", color: "var(--warning-ink)", values: col((d) => d.creditsSold) },
                    ]}
                  />
                </Panel>
                <Panel title="Revenue">
                  <StackedBars title="Revenue per day in rupiah" dates={dates()} series={[{ label: "Revenue (Rp)", color: "var(--success)", values: col((d) => d.revenue.IDR ?? 0) }]} />
                </Panel>
                <Panel title="New users">
                  <StackedBars title="New users per day" dates={dates()} series={[{ label: "New users", color: "var(--accent)", values: col((d) => d.newUsers) }]} />
                </Panel>
              </div>
            </div>
          )}
        </Show>
      </Show>
    </Page>
  );
}
