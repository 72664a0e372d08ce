/** Generate avatars from a description, a preset and an optional style, within the limits the server publishes. */
import { useNavigate } from "@solidjs/router";
import { For, Match, Show, Switch, createMemo, createSignal, createUniqueId } from "solid-js";
import { ChoiceGroup } from "../../components/choice-group";
import { CostPreview } from "../../components/cost-preview";
import { ErrorNotice } from "../../components/error-notice";
import { Field } from "../../components/field";
import { Loaded } from "../../components/loaded";
import { Panel } from "../../components/panel";
import { Skeleton } from "../../components/skeleton";
import { fieldErrors } from "../../lib/form";
import { formatCredits } from "../../lib/format";
import { useAccount } from "../../stores/account";
import { createPresetsStore } from "../../stores/avatars";
import { findApp, OUT_OF_DATE, publishedRanges } from "../../stores/catalog";
import { createGenerationSubmitter } from "../../stores/generation-submit";
import { createAppsStore } from "../../stores/studio";

const RANGES = ["prompt", "style", "count"] as const;

export function GeneratePanel(props: { appId: string; projectId: string | undefined }) {
  const navigate = useNavigate();
  const { balance } = useAccount();
  const catalog = createAppsStore();
  const presets = createPresetsStore();
  const submitter = createGenerationSubmitter(props.appId);
  const promptId = createUniqueId();
  const presetId = createUniqueId();
  const [prompt, setPrompt] = createSignal("");
  const [preset, setPreset] = createSignal("");
  const [style, setStyle] = createSignal("");
  const [count, setCount] = createSignal(1);
  const [touched, setTouched] = createSignal(false);

  const app = createMemo(() => findApp(catalog, props.appId));
  /** Undefined while the catalogue loads; null when it lacks a range this form needs. */
  const limits = createMemo(() => {
    const a = app();
    return a ? publishedRanges(a, RANGES) : undefined;
  });
  const counts = createMemo(() => {
    const range = limits()?.count;
    return range ? Array.from({ length: range.max - range.min + 1 }, (_, i) => String(range.min + i)).map((n) => ({ value: n, label: n })) : [];
  });
  const unit = () => app()?.credits.avatar;
  const total = () => (unit() ?? 0) * count();
  const available = () => {
    const b = balance.balance.state === "ready" || balance.balance.state === "refreshing" ? balance.balance.latest : undefined;
    return b ? (b.unlimited ? Infinity : b.available) : null;
  };
  const promptProblem = () => {
    const range = limits()?.prompt;
    if (!range) return null;
    const n = prompt().trim().length;
    if (n < range.min) return `Describe the avatar in at least ${range.min} characters`;
    if (n > range.max) return `Keep the description to ${range.max} characters`;
    return null;
  };
  const serverErrors = () => fieldErrors(submitter.error(), ["prompt", "style", "presetId"]);
  const shownPromptError = () => (touched() || prompt() ? promptProblem() : null) ?? serverErrors().prompt;
  const reason = () => {
    const l = limits();
    if (l === null) return OUT_OF_DATE;
    if (!props.projectId) return "Create or choose a project first.";
    if (!l || unit() === undefined || available() === null) return "Loading prices and your balance…";
    if (total() > (available() ?? 0)) return "Not enough credits for this.";
    if (promptProblem()) return "Describe the avatar you want.";
    if (style().trim().length > l.style.max) return `Keep the style to ${l.style.max} characters.`;
    return null;
  };
  const selectedPreset = () => (presets.presets.state === "ready" ? presets.presets().find((p) => p.id === preset()) : undefined);

  async function submit(event: SubmitEvent) {
    event.preventDefault();
    setTouched(true);
    const project = props.projectId;
    if (!project || reason()) return;
    const generation = await submitter.submit({
      projectId: project,
      prompt: prompt().trim(),
      count: count(),
      ...(preset() ? { presetId: preset() } : {}),
      ...(style().trim() ? { style: style().trim() } : {}),
    });
    if (generation) navigate(`/generations/${generation.id}`);
  }

  return (
    <Panel title="Generate avatars" busy={limits() === undefined && catalog.apps.state !== "errored"}>
      <Show
        when={limits()}
        fallback={
          <Switch fallback={<Skeleton width="100%" height="20rem" />}>
            <Match when={catalog.apps.state === "errored"}>
              <ErrorNotice error={catalog.apps.error} onRetry={catalog.refetch} />
            </Match>
            <Match when={limits() === null}>
              <p class="panel__text">{OUT_OF_DATE}</p>
            </Match>
          </Switch>
        }
      >
        {(l) => (
          <form class="stack stack--tight" onSubmit={submit} novalidate>
            <div class="field" classList={{ "field--invalid": !!shownPromptError() }}>
              <label class="field__label" for={promptId}>
                Describe the avatar
              </label>
              <textarea
                id={promptId}
                class="field__input field__textarea"
                rows="3"
                maxLength={l().prompt.max}
                placeholder="e.g. friendly woman with short curly hair, smiling"
                aria-invalid={shownPromptError() ? "true" : undefined}
                aria-describedby={`${promptId}-help`}
                value={prompt()}
                onInput={(e) => setPrompt(e.currentTarget.value)}
                onBlur={() => setTouched(true)}
              />
              <div class="field__meta" id={`${promptId}-help`}>
                <Show when={shownPromptError()} fallback={<p class="field__hint">Who is it, and how do they look?</p>}>
                  <p class="field__error">{shownPromptError()}</p>
                </Show>
                <p class="field__count">
                  {prompt().trim().length}/{l().prompt.max}
                </p>
              </div>
            </div>
            <div class="field">
              <label class="field__label" for={presetId}>
                Style preset
              </label>
              <Loaded of={presets.presets} onRetry={presets.refetch} skeleton={<Skeleton width="100%" height="2.75rem" />}>
                {(list) => (
                  <select id={presetId} class="field__input field__select" value={preset()} onChange={(e) => setPreset(e.currentTarget.value)} aria-describedby={`${presetId}-hint`}>
                    <option value="">No preset</option>
                    <For each={list()}>{(p) => <option value={p.id}>{p.name}</option>}</For>
                  </select>
                )}
              </Loaded>
              <p class="field__hint" id={`${presetId}-hint`}>
                {selectedPreset()?.description ?? "A preset adds a ready-made look to your description."}
              </p>
            </div>
            <Field
              label="Extra style (optional)"
              maxLength={l().style.max}
              placeholder="e.g. blue background, soft light"
              value={style()}
              onInput={(e) => setStyle(e.currentTarget.value)}
              error={serverErrors().style}
            />
            <ChoiceGroup legend="How many" options={counts()} value={String(count())} onChange={(v) => setCount(Number(v))} />
            <Show when={unit() !== undefined} fallback={<Skeleton width="100%" height="5rem" />}>
              <CostPreview lines={[{ label: `${count()} × avatar (${unit()})`, amount: total() }]} total={total()} available={available()} />
            </Show>
            <Show when={submitter.error() && Object.keys(serverErrors()).length === 0}>
              <ErrorNotice error={submitter.error()} urgent />
            </Show>
            <div>
              <button type="submit" class="button button--primary" disabled={submitter.busy() || (!!reason() && !promptProblem())} aria-describedby={`${promptId}-reason`}>
                {submitter.busy() ? "Starting…" : `Generate ${count()} ${count() === 1 ? "avatar" : "avatars"}`}
                <Show when={unit() !== undefined && !submitter.busy()}> · {formatCredits(total())} credits</Show>
              </button>
              <p class="summary__reason" id={`${promptId}-reason`}>
                {reason() ?? "Credits are held now and charged only for avatars that finish."}
              </p>
            </div>
          </form>
        )}
      </Show>
    </Panel>
  );
}
