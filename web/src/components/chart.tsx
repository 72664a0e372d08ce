/** Small SVG charts (admin overview, dashboard): stacked bars per day and lines per day, with a legend. */
import { For, Show } from "solid-js";

export interface Series {
  label: string;
  /** A CSS colour (a variable of the theme). */
  color: string;
  values: number[];
}

/** Axis ticks stay inside the left margin: 200000 reads 200K. */
const compact = new Intl.NumberFormat(undefined, { notation: "compact" });

const W = 640;
const H = 180;
const PAD = { top: 10, right: 8, bottom: 22, left: 40 };

/** A round upper bound for the y axis, so the ticks read as plain numbers. */
function niceMax(n: number): number {
  // At least 2, so the middle tick is a whole number too.
  if (n <= 2) return 2;
  const step = 10 ** Math.floor(Math.log10(n));
  return Math.ceil(n / step) * step;
}

function Frame(props: { title: string; max: number; dates: string[]; series: Series[]; children: unknown }) {
  const ticks = () => [0, props.max / 2, props.max];
  const y = (v: number) => PAD.top + (H - PAD.top - PAD.bottom) * (1 - v / props.max);
  const every = () => Math.max(1, Math.ceil(props.dates.length / 6));
  const x = (i: number) => PAD.left + ((W - PAD.left - PAD.right) * (i + 0.5)) / Math.max(1, props.dates.length);
  return (
    <figure class="chart">
      <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-label={props.title} class="chart__svg">
        <For each={ticks()}>
          {(t) => (
            <g>
              <line x1={PAD.left} x2={W - PAD.right} y1={y(t)} y2={y(t)} class="chart__grid" />
              <text x={PAD.left - 6} y={y(t) + 4} class="chart__tick" text-anchor="end">
                {compact.format(Math.round(t))}
              </text>
            </g>
          )}
        </For>
        {props.children as Element}
        <For each={props.dates}>
          {(d, i) => (
            <Show when={i() % every() === 0}>
              <text x={x(i())} y={H - 6} class="chart__tick" text-anchor="middle">
                {d.slice(5)}
              </text>
            </Show>
          )}
        </For>
      </svg>
      <figcaption class="chart__legend">
        <For each={props.series}>
          {(s) => (
            <span class="chart__key">
              <span class="chart__swatch" style={{ background: s.color }} />
              {s.label} <span class="num">{s.values.reduce((a, b) => a + b, 0)}</span>
            </span>
          )}
        </For>
      </figcaption>
    </figure>
  );
}

const plotWidth = W - PAD.left - PAD.right;
const plotHeight = H - PAD.top - PAD.bottom;

export function StackedBars(props: { title: string; dates: string[]; series: Series[] }) {
  const totals = () => props.dates.map((_, i) => props.series.reduce((sum, s) => sum + (s.values[i] ?? 0), 0));
  const max = () => niceMax(Math.max(0, ...totals()));
  const slot = () => plotWidth / Math.max(1, props.dates.length);
  const bars = () =>
    props.dates.flatMap((date, i) => {
      let base = 0;
      return props.series.map((s) => {
        const v = s.values[i] ?? 0;
        const bar = {
          key: `${date}-${s.label}`,
          x: PAD.left + i * slot() + slot() * 0.15,
          w: slot() * 0.7,
          y: PAD.top + plotHeight * (1 - (base + v) / max()),
          h: (plotHeight * v) / max(),
          color: s.color,
          title: `${date} ${s.label}: ${v}`,
        };
        base += v;
        return bar;
      });
    });
  return (
    <Frame title={props.title} max={max()} dates={props.dates} series={props.series}>
      <For each={bars().filter((b) => b.h > 0)}>
        {(b) => (
          <rect x={b.x} y={b.y} width={b.w} height={b.h} fill={b.color} class="chart__bar">
            <title>{b.title}</title>
          </rect>
        )}
      </For>
    </Frame>
  );
}

export function Lines(props: { title: string; dates: string[]; series: Series[] }) {
  const max = () => niceMax(Math.max(0, ...props.series.flatMap((s) => s.values)));
  const point = (v: number, i: number) => `${PAD.left + (plotWidth * (i + 0.5)) / Math.max(1, props.dates.length)},${PAD.top + plotHeight * (1 - v / max())}`;
  return (
    <Frame title={props.title} max={max()} dates={props.dates} series={props.series}>
      <For each={props.series}>{(s) => <polyline points={s.values.map(point).join(" ")} fill="none" stroke={s.color} stroke-width="2" class="chart__line" />}</For>
    </Frame>
  );
}
