/** The mix: picked clips in order, how many variants, segment and total length, order, audio, and the cost. */
import { For, Show, createMemo, createSignal } from "solid-js";
import { ChoiceGroup } from "../../components/choice-group";
import { CostPreview } from "../../components/cost-preview";
import { ErrorNotice } from "../../components/error-notice";
import { Field } from "../../components/field";
import { Panel } from "../../components/panel";
import { Skeleton } from "../../components/skeleton";
import { formatCredits } from "../../lib/format";
import { useAccount } from "../../stores/account";
import { createGenerationSubmitter } from "../../stores/generation-submit";
import type { AppSummary } from "../../stores/studio";
import type { Clip } from "../../stores/video-clips";
import { type Range, rangeOf } from "./format";

export const APP_ID = "video-mixer";
const ORDERS = [
  { value: "shuffle", label: "Shuffle" },
  { value: "keep-first", label: "Keep first clip's opening first" },
] as const;
const AUDIO = [
  { value: "keep", label: "Keep audio" },
  { value: "mute", label: "Mute" },
] as const;

const inRange = (n: number, r: Range) => Number.isFinite(n) && n >= r.min && n <= r.max;

export function MixForm(props: { app: AppSummary | undefined; picked: Clip[]; projectId: string | undefined; onStarted: (generationId: string) => void }) {
  const { balance } = useAccount();
  // A fresh submitter per started mix: one stays busy once its request went out, and the page stays here.
  const [started, setStarted] = createSignal(0);
  const current = createMemo(() => {
    started();
    return createGenerationSubmitter(APP_ID);
  });
  const submitter = { busy: () => current().busy(), error: () => current().error(), submit: (body: Record<string, unknown>) => current().submit(body) };
  const [variants, setVariants] = createSignal(3);
  const [segment, setSegment] = createSignal(2);
  const [length, setLength] = createSignal(6);
  const [order, setOrder] = createSignal<"shuffle" | "keep-first">("shuffle");
  const [audio, setAudio] = createSignal<"keep" | "mute">("keep");

  const app = () => props.app;
  const unit = () => app()?.credits.video;
  // The server's own limits, published with the app: the form checks exactly what it enforces.
  const range = (name: string) => rangeOf(app(), name);
  const total = () => (unit() ?? 0) * (inRange(variants(), range("variants")) ? variants() : 0);
  const available = () => {
    const b = balance.balance.state === "ready" || balance.balance.state === "refreshing" ? balance.balance.latest : undefined;
    return b ? (b.unlimited ? Infinity : b.available) : null;
  };
  const mixedFormats = () => new Set(props.picked.map((c) => c.formatKey)).size > 1;
  const reason = () => {
    if (!props.projectId) return "Create or choose a project first.";
    if (unit() === undefined || available() === null) return "Loading prices and your balance…";
    if (props.picked.length < range("clips").min) return `Pick at least ${range("clips").min} clips.`;
    if (props.picked.length > range("clips").max) return `Pick at most ${range("clips").max} clips.`;
    if (mixedFormats()) return "The picked clips differ in format; pick clips of one format (the server names what differs).";
    if (!inRange(variants(), range("variants"))) return `Ask for ${range("variants").min}–${range("variants").max} variants.`;
    if (!inRange(segment(), range("segmentSeconds"))) return `Segments last ${range("segmentSeconds").min}–${range("segmentSeconds").max} s.`;
    if (!inRange(length(), range("lengthSeconds"))) return `A variant lasts ${range("lengthSeconds").min}–${range("lengthSeconds").max} s.`;
    if (total() > (available() ?? 0)) return "Not enough credits for this.";
    return null;
  };

  const numbers = [
    { label: "Variants", limit: "variants", step: "1", value: variants, set: setVariants, hint: undefined },
    { label: "Segment length (s)", limit: "segmentSeconds", step: "0.5", value: segment, set: setSegment, hint: "Cut at key frames, at least this long" },
    { label: "Variant length (s)", limit: "lengthSeconds", step: "1", value: length, set: setLength, hint: "At most this long" },
  ];

  async function submit(event: SubmitEvent) {
    event.preventDefault();
    const project = props.projectId;
    if (!project || reason()) return;
    const generation = await submitter.submit({
      projectId: project,
      clipIds: props.picked.map((c) => c.id),
      variants: variants(),
      segmentSeconds: segment(),
      lengthSeconds: length(),
      order: order(),
      audio: audio(),
    });
    if (!generation) return;
    setStarted((n) => n + 1);
    props.onStarted(generation.id);
  }

  return (
    <Panel title="Mix">
      <form class="stack stack--tight" onSubmit={submit} novalidate>
        <p class="field__hint" data-testid="picked-clips">
          {props.picked.length === 0 ? "No clips picked yet." : `Picked, in order: ${props.picked.map((c) => c.name).join(", ")}`}
        </p>
        <div class="mix-numbers">
          <For each={numbers}>
            {(n) => (
              <Field
                label={n.label}
                type="number"
                min={range(n.limit).min}
                max={range(n.limit).max}
                step={n.step}
                value={n.value()}
                onInput={(e) => n.set(e.currentTarget.valueAsNumber)}
                hint={n.hint ?? `${range(n.limit).min}–${range(n.limit).max}`}
              />
            )}
          </For>
        </div>
        <ChoiceGroup legend="Order" options={ORDERS} value={order()} onChange={setOrder} />
        <ChoiceGroup legend="Audio" options={AUDIO} value={audio()} onChange={setAudio} />
        <Show when={unit() !== undefined} fallback={<Skeleton width="100%" height="5rem" />}>
          <CostPreview lines={[{ label: `${inRange(variants(), range("variants")) ? variants() : 0} × variant (${unit()})`, amount: total() }]} total={total()} available={available()} />
        </Show>
        <Show when={submitter.error()}>
          <ErrorNotice error={submitter.error()} urgent />
        </Show>
        <div>
          <button type="submit" class="button button--primary" disabled={submitter.busy() || !!reason()} data-testid="mix-submit">
            {submitter.busy() ? "Starting…" : `Make ${variants() || 0} ${variants() === 1 ? "variant" : "variants"}`}
            <Show when={unit() !== undefined && !submitter.busy()}> · {formatCredits(total())} credits</Show>
          </button>
          <p class="summary__reason">{reason() ?? "Credits are held now and charged only for variants that finish."}</p>
        </div>
      </form>
    </Panel>
  );
}
