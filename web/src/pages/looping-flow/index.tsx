/** Looping Flow: pick a still, an effect and its timing, see the cost, make the loop and watch it play here. */
import { useSearchParams } from "@solidjs/router";
import { Show, createMemo, createSignal, createUniqueId } from "solid-js";
import { ChoiceGroup } from "../../components/choice-group";
import { CostPreview } from "../../components/cost-preview";
import { ErrorNotice } from "../../components/error-notice";
import { Page } from "../../components/page";
import { Panel } from "../../components/panel";
import { ProjectPicker } from "../../components/project-picker";
import { Skeleton } from "../../components/skeleton";
import { formatCredits } from "../../lib/format";
import { useAccount } from "../../stores/account";
import { createGenerationSubmitter } from "../../stores/generation-submit";
import { createProjectsStore } from "../../stores/projects";
import { createAppsStore } from "../../stores/studio";
import { LoopResult } from "./result";
import { SourcePicker, type PickedSource } from "./source-picker";
import "./looping-flow.css";
import { AppGenerations } from "../../components/app-generations";

const APP_ID = "looping-flow";

/** Names and hints for the effects the server offers (GET /api/apps: options.effects). */
const EFFECT_TEXT: Record<string, { label: string; hint: string }> = {
  "zoom-pulse": { label: "Zoom pulse", hint: "Breathes in and out, centred." },
  pan: { label: "Pan", hint: "Drifts side to side on a gentle curve." },
  sway: { label: "Sway", hint: "Bends like a plant in the wind; the bottom stays put." },
  ripple: { label: "Ripple", hint: "Rings travel out from the centre." },
  parallax: { label: "Parallax", hint: "The subject and the backdrop move apart, as if filmed in depth." },
};
/** Frame rates offered inside the published range: smooth enough, and the range's ends. */
const RATE_CHOICES = [12, 24, 30];

type Range = { min: number; max: number };
const within = (r: Range | undefined, n: number) => !!r && n >= r.min && n <= r.max;
const span = (r: Range | undefined) => (r ? Array.from({ length: r.max - r.min + 1 }, (_, i) => r.min + i) : []);

function LoopForm(props: { projectId: string | undefined; onStarted: (id: string) => void }) {
  const { balance } = useAccount();
  const apps = createAppsStore();
  const submitter = createGenerationSubmitter(APP_ID);
  const intensityId = createUniqueId();
  const [source, setSource] = createSignal<PickedSource | null>(null);
  const [effect, setEffect] = createSignal("zoom-pulse");
  const [seconds, setSeconds] = createSignal("4");
  const [fps, setFps] = createSignal("24");
  const [size, setSize] = createSignal("768");
  const [intensity, setIntensity] = createSignal(0.5);

  const app = createMemo(() => (apps.apps.state === "ready" ? apps.apps().find((a) => a.id === APP_ID) : undefined));
  const unit = () => app()?.credits.loop;
  // The choices are the server's own limits, so the form never offers what it would refuse.
  const limits = () => app()?.limits;
  const effects = () => (limits()?.options.effects ?? []).map((value) => ({ value, label: EFFECT_TEXT[value]?.label ?? value }));
  const durations = () => span(limits()?.ranges.durationSeconds).map((n) => ({ value: String(n), label: `${n} s` }));
  const rates = () => RATE_CHOICES.filter((n) => within(limits()?.ranges.fps, n)).map((n) => ({ value: String(n), label: `${n} fps` }));
  const sizes = () => (limits()?.options.sizes ?? []).map((value) => ({ value, label: `${value} px` }));
  const intensityRange = () => limits()?.ranges.intensity ?? { min: 0.1, max: 1 };
  const available = () => {
    const b = balance.balance.state === "ready" || balance.balance.state === "refreshing" ? balance.balance.latest : undefined;
    return b ? (b.unlimited ? Infinity : b.available) : null;
  };
  const reason = () => {
    if (!props.projectId) return "Create or choose a project first.";
    if (!source()) return "Choose the still to loop.";
    if (unit() === undefined || available() === null) return "Loading prices and your balance…";
    if ((unit() ?? 0) > (available() ?? 0)) return "Not enough credits for this.";
    return null;
  };

  async function submit(event: SubmitEvent) {
    event.preventDefault();
    const project = props.projectId;
    const picked = source();
    if (!project || !picked || reason()) return;
    const generation = await submitter.submit({
      projectId: project,
      source: picked.body,
      effect: effect(),
      durationSeconds: Number(seconds()),
      fps: Number(fps()),
      size: Number(size()),
      intensity: intensity(),
    });
    if (!generation) return;
    // The page stays: the loop plays beside the form, and another can be made from it.
    submitter.release();
    props.onStarted(generation.id);
  }

  return (
    <>
      <SourcePicker projectId={props.projectId} rule={apps.uploads()} picked={source()} onPicked={setSource} />
      <Panel title="Motion">
        <form class="stack stack--tight" onSubmit={submit} novalidate>
          <Show when={limits()} fallback={<Skeleton width="100%" height="14rem" />}>
            <ChoiceGroup legend="Effect" options={effects()} value={effect()} onChange={setEffect} />
            <p class="field__hint">{EFFECT_TEXT[effect()]?.hint}</p>
            <ChoiceGroup legend="Length" options={durations()} value={seconds()} onChange={setSeconds} />
            <ChoiceGroup legend="Frame rate" options={rates()} value={fps()} onChange={setFps} />
            <ChoiceGroup legend="Size" options={sizes()} value={size()} onChange={setSize} />
            <div class="field">
              <label class="field__label" for={intensityId}>
                Intensity <span class="num">{Math.round(intensity() * 100)} %</span>
              </label>
              <input
                id={intensityId}
                class="loop-range"
                type="range"
                min={intensityRange().min}
                max={intensityRange().max}
                step="0.05"
                value={intensity()}
                onInput={(e) => setIntensity(Number(e.currentTarget.value))}
              />
            </div>
          </Show>
          <Show when={unit() !== undefined} fallback={<Skeleton width="100%" height="5rem" />}>
            <CostPreview lines={[{ label: `1 × loop (${unit()})`, amount: unit() ?? 0 }]} total={unit() ?? 0} available={available()} />
          </Show>
          <Show when={submitter.error()}>
            <ErrorNotice error={submitter.error()} urgent />
          </Show>
          <div>
            <button type="submit" class="button button--primary" disabled={submitter.busy() || !!reason()}>
              {submitter.busy() ? "Starting…" : "Make loop"}
              <Show when={unit() !== undefined && !submitter.busy()}> · {formatCredits(unit() ?? 0)} credits</Show>
            </button>
            <p class="summary__reason">{reason() ?? "Credits are held now and charged only when the loop is made."}</p>
          </div>
        </form>
      </Panel>
    </>
  );
}

export default function LoopingFlow() {
  const [search, setSearch] = useSearchParams();
  const projects = createProjectsStore(APP_ID);
  const projectId = () => {
    const list = projects.projects.state === "ready" ? projects.projects() : [];
    const wanted = typeof search.project === "string" ? search.project : undefined;
    return list.find((p) => p.id === wanted)?.id ?? list[0]?.id;
  };
  const loopId = () => (typeof search.loop === "string" ? search.loop : undefined);
  return (
    <Page title="Looping Flow" lead="Turn a still into a seamless loop that plays forever, right in the page.">
      <div class="studio studio--loops">
        <div class="studio__main">
          <ProjectPicker store={projects} selected={projectId()} onSelect={(id) => setSearch({ project: id, loop: undefined }, { replace: true })} lead="Projects keep your loops together." />
          <LoopForm projectId={projectId()} onStarted={(id) => setSearch({ loop: id })} />
        </div>
        <div class="studio__aside">
          <Show
            when={loopId()}
            keyed
            fallback={
              <Panel title="Your loop">
                <p class="panel__text">Your loop plays here once it is made.</p>
              </Panel>
            }
          >
            {(id) => <LoopResult generationId={id} />}
          </Show>
        </div>
      </div>
      <AppGenerations appId="looping-flow" />
    </Page>
  );
}
