/** Size, text style and how many carousels; shows the distinct combinations and the cost before anything is sent. */
import { For, Show, createSignal, createUniqueId } from "solid-js";
import { ChoiceGroup } from "../../components/choice-group";
import { CostPreview } from "../../components/cost-preview";
import { ErrorNotice } from "../../components/error-notice";
import { Loaded } from "../../components/loaded";
import { Panel } from "../../components/panel";
import { Skeleton } from "../../components/skeleton";
import { formatCredits } from "../../lib/format";
import { useAccount } from "../../stores/account";
import { createFontsStore, type CarouselLimits, type SlidesStore } from "../../stores/carousel";
import { createGenerationSubmitter } from "../../stores/generation-submit";
import type { AppSummary } from "../../stores/studio";

const APP_ID = "carousel-mix";
const ASPECTS = [
  { value: "1:1", label: "1:1 · 1080×1080" },
  { value: "4:5", label: "4:5 · 1080×1350" },
  { value: "9:16", label: "9:16 · 1080×1920" },
] as const;
const POSITIONS = [
  { value: "top", label: "Top" },
  { value: "center", label: "Center" },
  { value: "bottom", label: "Bottom" },
] as const;
const BACKINGS = [
  { value: "box", label: "Box" },
  { value: "shadow", label: "Shadow" },
] as const;

/** The form's choices, owned by the page so they outlive one submitted batch. */
export function createCarouselChoices() {
  const [aspect, setAspect] = createSignal<(typeof ASPECTS)[number]["value"]>("4:5");
  const [font, setFont] = createSignal("noto-sans");
  const [size, setSize] = createSignal(64);
  const [color, setColor] = createSignal("#FFFFFF");
  const [position, setPosition] = createSignal<(typeof POSITIONS)[number]["value"]>("bottom");
  const [backing, setBacking] = createSignal<(typeof BACKINGS)[number]["value"]>("box");
  const [count, setCount] = createSignal(4);
  return { aspect, setAspect, font, setFont, size, setSize, color, setColor, position, setPosition, backing, setBacking, count, setCount };
}

export function GeneratePanel(props: {
  projectId: string | undefined;
  app: AppSummary;
  limits: CarouselLimits;
  slides: SlidesStore;
  choices: ReturnType<typeof createCarouselChoices>;
  onStarted: (generationId: string) => void;
}) {
  const { balance } = useAccount();
  const fonts = createFontsStore();
  const submitter = createGenerationSubmitter(APP_ID);
  const ids = { font: createUniqueId(), size: createUniqueId(), color: createUniqueId(), count: createUniqueId() };
  const { aspect, setAspect, font, setFont, size, setSize, color, setColor, position, setPosition, backing, setBacking, count, setCount } = props.choices;

  const unit = () => props.app.credits.carousel;
  const most = () => Math.min(props.limits.count.max, combinations());
  const combinations = () => props.slides.current()?.combinations ?? 0;
  const total = () => (unit() ?? 0) * count();
  const available = () => {
    const b = balance.balance.state === "ready" || balance.balance.state === "refreshing" ? balance.balance.latest : undefined;
    return b ? (b.unlimited ? Infinity : b.available) : null;
  };
  const colorProblem = () => (/^#[0-9a-f]{6}$/i.test(color()) ? null : "Use a colour like #FFFFFF");
  const reason = () => {
    if (!props.projectId) return "Create or choose a project first.";
    if (props.slides.dirty()) return "Save your slides first.";
    if (combinations() === 0) return "Every slide needs at least one image.";
    if (count() < props.limits.count.min || count() > most()) return `Ask for ${props.limits.count.min}–${most()} carousels.`;
    if (colorProblem()) return colorProblem();
    if (unit() === undefined || available() === null) return "Loading prices and your balance…";
    if (total() > (available() ?? 0)) return "Not enough credits for this.";
    return null;
  };

  async function submit(event: SubmitEvent) {
    event.preventDefault();
    const project = props.projectId;
    if (!project || reason()) return;
    const generation = await submitter.submit({
      projectId: project,
      count: count(),
      aspect: aspect(),
      textStyle: { font: font(), size: size(), color: color().toUpperCase(), position: position(), box: backing() === "box" },
    });
    if (generation) props.onStarted(generation.id);
  }

  return (
    <Panel title="Make carousels">
      <form class="stack stack--tight" onSubmit={submit} novalidate>
        <ChoiceGroup legend="Size" options={ASPECTS} value={aspect()} onChange={setAspect} />
        <div class="cm-style">
          <div class="field">
            <label class="field__label" for={ids.font}>
              Font
            </label>
            <Loaded of={fonts.fonts} onRetry={fonts.refetch} skeleton={<Skeleton width="100%" height="2.75rem" />}>
              {(list) => (
                <select id={ids.font} class="field__input field__select" value={font()} onChange={(e) => setFont(e.currentTarget.value)}>
                  <For each={list()}>{(f) => <option value={f.id}>{f.name}</option>}</For>
                </select>
              )}
            </Loaded>
          </div>
          <div class="field">
            <label class="field__label" for={ids.size}>
              Text size (px)
            </label>
            <input
              id={ids.size}
              class="field__input field__input--number"
              type="number"
              min={props.limits.size.min}
              max={props.limits.size.max}
              value={size()}
              onInput={(e) => setSize(Math.min(props.limits.size.max, Math.max(props.limits.size.min, Number(e.currentTarget.value) || 64)))}
            />
            <p class="field__hint">Long captions shrink to fit.</p>
          </div>
          <div class="field">
            <label class="field__label" for={ids.color}>
              Text colour
            </label>
            <div class="color-field">
              <input class="color-field__swatch" type="color" aria-label="Pick a text colour" value={colorProblem() ? "#ffffff" : color()} onInput={(e) => setColor(e.currentTarget.value)} />
              <input
                id={ids.color}
                class="field__input color-field__hex"
                maxLength={7}
                spellcheck={false}
                autocomplete="off"
                value={color()}
                onInput={(e) => setColor(e.currentTarget.value.trim())}
                aria-invalid={colorProblem() ? "true" : undefined}
              />
            </div>
          </div>
        </div>
        <ChoiceGroup legend="Caption position" options={POSITIONS} value={position()} onChange={setPosition} />
        <ChoiceGroup legend="Readability" options={BACKINGS} value={backing()} onChange={setBacking} />
        <div class="field">
          <label class="field__label" for={ids.count}>
            How many carousels
          </label>
          <input
            id={ids.count}
            class="field__input field__input--number"
            type="number"
            min={props.limits.count.min}
            max={props.limits.count.max}
            value={count()}
            onInput={(e) => setCount(Math.floor(Number(e.currentTarget.value) || 0))}
          />
          <p class="field__hint" data-testid="combinations">
            {combinations() === 0 ? "No combinations yet" : `${combinations().toLocaleString()} distinct ${combinations() === 1 ? "combination" : "combinations"}`} · at most {most()} per batch
          </p>
        </div>
        <Show when={unit() !== undefined} fallback={<Skeleton width="100%" height="5rem" />}>
          <CostPreview lines={[{ label: `${count()} × carousel (${unit()})`, amount: total() }]} total={total()} available={available()} />
        </Show>
        <Show when={submitter.error()}>
          <ErrorNotice error={submitter.error()} urgent />
        </Show>
        <div>
          <button type="submit" class="button button--primary" disabled={submitter.busy() || !!reason()}>
            {submitter.busy() ? "Starting…" : `Make ${count()} ${count() === 1 ? "carousel" : "carousels"}`}
            <Show when={unit() !== undefined && !submitter.busy()}> · {formatCredits(total())} credits</Show>
          </button>
          <p class="summary__reason">{reason() ?? "Credits are held now and charged only for carousels that finish."}</p>
        </div>
      </form>
    </Panel>
  );
}
