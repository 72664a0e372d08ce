/** Pose Generator: project, poses from the library or a description, background, export sizes, avatar, cost, submit. */
import { A, useNavigate, useSearchParams } from "@solidjs/router";
import { For, Match, Show, Switch, createEffect, createMemo, createUniqueId, on } from "solid-js";
import { ChoiceGroup } from "../components/choice-group";
import { CostPreview } from "../components/cost-preview";
import { ErrorNotice } from "../components/error-notice";
import { Field } from "../components/field";
import { ImageDrop } from "../components/image-drop";
import { Loaded } from "../components/loaded";
import { Page } from "../components/page";
import { EmptyState, Panel } from "../components/panel";
import { ProjectPicker } from "../components/project-picker";
import { Skeleton } from "../components/skeleton";
import { LoadMore } from "../components/load-more";
import { ApiError } from "../lib/api";
import { fieldErrors } from "../lib/form";
import { formatCredits } from "../lib/format";
import { IMAGE_POLICY } from "../lib/image-file";
import { PROMPT_MAX } from "../lib/pose-prompt";
import { useAccount } from "../stores/account";
import { createAllAvatarsStore } from "../stores/avatars";
import { createGenerationSubmitter } from "../stores/generation-submit";
import { LIMITS, createPoseForm, type BackgroundChoice, type ExportFormat, type PoseForm, type Prices } from "../stores/pose-form";
import { createPoseLibrary, type Pose, type PoseCategoryId, type PoseLibrary } from "../stores/pose-library";
import { createProjectsStore } from "../stores/projects";
import { createAppsStore } from "../stores/studio";

const APP_ID = "pose-generator";
const SKELETON_POSES = 8;

const BACKGROUNDS = [
  { value: "none", label: "Keep" },
  { value: "solid_color", label: "Colour" },
  { value: "ai_generate", label: "Describe" },
  { value: "upload", label: "Upload" },
] as const satisfies readonly { value: BackgroundChoice; label: string }[];

const FORMATS: readonly { value: ExportFormat; label: string; size: string }[] = [
  { value: "original", label: "Original", size: "768×1024" },
  { value: "instagram_post", label: "Instagram post", size: "1080×1080" },
  { value: "instagram_story", label: "Instagram story", size: "1080×1920" },
  { value: "thumbnail", label: "Thumbnail", size: "400×400" },
];

function PoseCard(props: { pose: Pose; checked: boolean; onToggle: () => void }) {
  return (
    <li>
      <label class="pose-card" classList={{ "is-checked": props.checked }}>
        <input class="pose-card__input" type="checkbox" checked={props.checked} onChange={() => props.onToggle()} aria-label={props.pose.name} />
        <span class="pose-card__preview">
          <img src={props.pose.previewUrl} alt="" width="256" height="256" loading="lazy" />
          <span class="pose-card__check" aria-hidden="true" />
        </span>
        <span class="pose-card__name">{props.pose.name}</span>
        <span class="pose-card__meta">{props.pose.difficulty}</span>
      </label>
    </li>
  );
}

function PoseGridSkeleton() {
  return (
    <ul class="pose-grid" aria-hidden="true">
      <For each={Array.from({ length: SKELETON_POSES })}>
        {() => (
          <li>
            <div class="pose-card">
              <span class="pose-card__preview" />
              <Skeleton width="70%" height="1.25rem" />
              <Skeleton width="40%" height="1rem" />
            </div>
          </li>
        )}
      </For>
    </ul>
  );
}

function LibraryBrowser(props: { library: PoseLibrary; form: PoseForm }) {
  const lib = props.library;
  const poses = lib.poses;
  const categoryOptions = createMemo(() => {
    const list = lib.categories.state === "ready" ? lib.categories() : [];
    const all = list.reduce((sum, c) => sum + c.count, 0);
    return [{ value: "all", label: list.length ? `All (${all})` : "All" }, ...list.map((c) => ({ value: c.id as string, label: `${c.name} (${c.count})` }))];
  });
  return (
    <div class="library">
      <div class="library__filters">
        <Field label="Search poses" type="search" name="pose-search" autocomplete="off" placeholder="e.g. wave, yoga, chair" value={lib.text()} onInput={(e) => lib.search(e.currentTarget.value)} />
        <Show when={lib.categories.state !== "errored"} fallback={<ErrorNotice error={lib.categories.error} onRetry={lib.refetchCategories} />}>
          <ChoiceGroup legend="Category" options={categoryOptions()} value={lib.category() ?? "all"} onChange={(v) => lib.setCategory(v === "all" ? null : (v as PoseCategoryId))} />
        </Show>
      </div>
      <div class="library__results" aria-busy={poses.phase() === "loading" ? "true" : undefined}>
        <Switch>
          <Match when={poses.phase() === "error"}>
            <ErrorNotice error={poses.error()} onRetry={poses.reload} />
          </Match>
          <Match when={poses.phase() === "loading"}>
            <PoseGridSkeleton />
          </Match>
          <Match when={poses.items().length === 0}>
            <EmptyState title="No poses match">Try another word or category.</EmptyState>
          </Match>
          <Match when={true}>
            <ul class="pose-grid" data-testid="pose-grid">
              <For each={poses.items()}>{(pose) => <PoseCard pose={pose} checked={props.form.selected().has(pose.id)} onToggle={() => props.form.toggle(pose)} />}</For>
            </ul>
            <LoadMore list={poses} label="Show more poses" />
          </Match>
        </Switch>
      </div>
    </div>
  );
}

function SelectedPoses(props: { form: PoseForm }) {
  const list = () => [...props.form.selected().values()];
  return (
    <div class="picked" aria-live="polite">
      <p class="picked__count" data-testid="selected-count">
        {list().length === 0 ? "No poses picked yet" : `${list().length} ${list().length === 1 ? "pose" : "poses"} picked`}
        <Show when={list().length > LIMITS.poses}>
          <span class="field__error"> · at most {LIMITS.poses}</span>
        </Show>
      </p>
      <Show when={list().length > 0}>
        <ul class="chips">
          <For each={list()}>
            {(pose) => (
              <li class="chip">
                {pose.name}
                <button type="button" class="chip__remove" aria-label={`Remove ${pose.name}`} onClick={() => props.form.toggle(pose)}>
                  ×
                </button>
              </li>
            )}
          </For>
        </ul>
        <button type="button" class="button button--secondary button--small" onClick={() => props.form.clearSelection()}>
          Clear
        </button>
      </Show>
    </div>
  );
}

function NumberField(props: { label: string; hint: string; value: number; range: readonly [number, number]; onChange: (n: number) => void; error?: string | undefined }) {
  return (
    <Field
      label={props.label}
      hint={props.hint}
      type="number"
      inputmode="numeric"
      min={props.range[0]}
      max={props.range[1]}
      step={1}
      value={props.value}
      error={props.error}
      onChange={(e) => {
        props.onChange(e.currentTarget.valueAsNumber);
        e.currentTarget.value = String(props.value);
      }}
      class="field__input field__input--number"
    />
  );
}

function TextMode(props: { form: PoseForm; serverError: string | undefined; fieldError: string | undefined }) {
  const id = createUniqueId();
  const f = props.form;
  const shown = () => (f.textPrompt().trim() ? (f.textProblem() ?? props.serverError ?? props.fieldError) : props.serverError);
  return (
    <div class="stack stack--tight">
      <div class="field" classList={{ "field--invalid": !!shown() }}>
        <label class="field__label" for={id}>
          Describe the pose
        </label>
        <textarea
          id={id}
          class="field__input field__textarea"
          rows="4"
          maxLength={PROMPT_MAX + 50}
          placeholder="e.g. standing with arms crossed, looking over the left shoulder"
          aria-invalid={shown() ? "true" : undefined}
          aria-describedby={`${id}-help`}
          value={f.textPrompt()}
          onInput={(e) => f.setTextPrompt(e.currentTarget.value)}
        />
        <div class="field__meta" id={`${id}-help`}>
          <Show when={shown()} fallback={<p class="field__hint">Say what the body does; plain words, no markup.</p>}>
            <p class="field__error" data-testid="prompt-error">
              {shown()}
            </p>
          </Show>
          <p class="field__count" classList={{ "is-over": f.textPrompt().trim().length > PROMPT_MAX }}>
            {f.textPrompt().trim().length}/{PROMPT_MAX}
          </p>
        </div>
      </div>
      <NumberField
        label="Variations"
        hint={`${LIMITS.variations[0]}–${LIMITS.variations[1]} images of this description`}
        value={f.variationCount()}
        range={LIMITS.variations}
        onChange={f.setVariationCount}
      />
    </div>
  );
}

function BackgroundOptions(props: { form: PoseForm; errors: Record<string, string>; serverError: string | undefined }) {
  const f = props.form;
  const colorId = createUniqueId();
  /** What is wrong with the file itself sits under the drop zone; other failures (429, offline…) get the full notice. */
  const uploadProblem = () => {
    const e = f.uploadError();
    return f.uploadProblem() ?? (e instanceof ApiError && [413, 415, 422].includes(e.status) ? e.message : null);
  };
  return (
    <div class="stack stack--tight">
      <ChoiceGroup legend="Background" options={BACKGROUNDS} value={f.background()} onChange={f.setBackground} />
      <Switch>
        <Match when={f.background() === "none"}>
          <p class="panel__text">The background comes out as generated.</p>
        </Match>
        <Match when={f.background() === "solid_color"}>
          <div class="field" classList={{ "field--invalid": !!(f.colorProblem() ?? props.errors.backgroundColor) }}>
            <label class="field__label" for={colorId}>
              Background colour
            </label>
            <div class="color-field">
              <input
                class="color-field__swatch"
                type="color"
                aria-label="Pick a colour"
                value={/^#[0-9a-f]{6}$/i.test(f.backgroundColor()) ? f.backgroundColor() : "#000000"}
                onInput={(e) => f.setBackgroundColor(e.currentTarget.value)}
              />
              <input
                id={colorId}
                class="field__input color-field__hex"
                maxLength={7}
                spellcheck={false}
                autocomplete="off"
                value={f.backgroundColor()}
                onInput={(e) => f.setBackgroundColor(e.currentTarget.value.trim())}
                aria-invalid={f.colorProblem() ? "true" : undefined}
              />
            </div>
            <Show when={f.colorProblem() ?? props.errors.backgroundColor}>{(problem) => <p class="field__error">{problem()}</p>}</Show>
          </div>
        </Match>
        <Match when={f.background() === "ai_generate"}>
          <Field
            label="Describe the background"
            hint={`${LIMITS.backgroundPrompt[0]}–${LIMITS.backgroundPrompt[1]} characters`}
            maxLength={LIMITS.backgroundPrompt[1]}
            placeholder="e.g. sunny beach at golden hour"
            value={f.backgroundPrompt()}
            onInput={(e) => f.setBackgroundPrompt(e.currentTarget.value)}
            error={(f.backgroundPrompt().trim() ? f.backgroundPromptProblem() : null) ?? props.serverError ?? props.errors.backgroundPrompt}
          />
        </Match>
        <Match when={f.background() === "upload"}>
          <ImageDrop
            label={f.uploading() ? "Uploading…" : f.upload() ? "Replace the background image" : "Drop a background image here, or choose one"}
            hint={`PNG, JPEG or WebP · up to ${IMAGE_POLICY.maxBytes / (1024 * 1024)} MB · ${IMAGE_POLICY.minSide}–${IMAGE_POLICY.maxSide} px each side`}
            preview={f.upload()?.thumbnailUrl ?? null}
            error={uploadProblem()}
            disabled={f.uploading()}
            onFile={(file) => void f.uploadBackground(file)}
          >
            <Show when={f.uploadError() && !uploadProblem()}>
              <ErrorNotice error={f.uploadError()} />
            </Show>
            <Show when={f.upload()}>
              {(u) => (
                <p class="field__hint">
                  Uploaded · {u().width}×{u().height} px
                </p>
              )}
            </Show>
          </ImageDrop>
        </Match>
      </Switch>
    </div>
  );
}

function ExportFormats(props: { form: PoseForm }) {
  return (
    <fieldset class="checks">
      <legend class="choices__legend">Export sizes</legend>
      <div class="checks__options">
        <For each={FORMATS}>
          {(format) => (
            <label class="check">
              <input type="checkbox" checked={props.form.formats().includes(format.value)} onChange={() => props.form.toggleFormat(format.value)} />
              <span>
                {format.label} <span class="check__hint">{format.size}</span>
              </span>
            </label>
          )}
        </For>
      </div>
      <Show when={props.form.formats().length === 0}>
        <p class="field__error">Choose at least one size.</p>
      </Show>
    </fieldset>
  );
}

function AvatarPicker(props: { form: PoseForm; store: ReturnType<typeof createAllAvatarsStore> }) {
  const id = createUniqueId();
  const avatars = props.store.avatars;
  return (
    <Loaded of={avatars} onRetry={props.store.refetch} skeleton={<Skeleton width="100%" height="2.75rem" />}>
      {(list) => (
        <Show
          when={list().length > 0}
          fallback={
            <p class="panel__text">
              Optional: use one of your avatars as the face. <A href="/apps/avatar-creator">Create an avatar</A> first.
            </p>
          }
        >
          <div class="avatar-pick">
            <span class="avatar-pick__thumb" aria-hidden="true">
              <Show when={list().find((a) => a.id === props.form.avatarId())}>{(a) => <img src={a().thumbnailUrl} alt="" />}</Show>
            </span>
            <div class="field avatar-pick__field">
              <label class="field__label" for={id}>
                Avatar (optional)
              </label>
              <select id={id} class="field__input field__select" value={props.form.avatarId() ?? ""} onChange={(e) => props.form.setAvatarId(e.currentTarget.value || null)}>
                <option value="">No avatar</option>
                <For each={list()}>{(a) => <option value={a.id}>{a.name}</option>}</For>
              </select>
            </div>
          </div>
        </Show>
      )}
    </Loaded>
  );
}

/** A 422 from the server, routed to the field it is about. */
function placeServerError(error: unknown): { prompt?: string; background?: string } {
  if (!(error instanceof ApiError) || error.status !== 422) return {};
  if (/^the background prompt/i.test(error.message)) return { background: error.message };
  if (/^(the prompt|describe a pose)/i.test(error.message)) return { prompt: error.message };
  return {};
}

export default function PoseGenerator() {
  const navigate = useNavigate();
  const [search, setSearch] = useSearchParams();
  const { balance } = useAccount();
  const projects = createProjectsStore(APP_ID);
  const apps = createAppsStore();
  const library = createPoseLibrary();
  const avatars = createAllAvatarsStore();
  const submitter = createGenerationSubmitter(APP_ID);

  const projectId = () => projects.selected(search.project);
  const form = createPoseForm(projectId);
  createEffect(on(projectId, () => form.forgetUpload(), { defer: true }));

  const prices = createMemo((): Prices | null => {
    const app = apps.apps.state === "ready" ? apps.apps().find((a) => a.id === APP_ID) : undefined;
    const pose = app?.credits.pose;
    return pose === undefined ? null : { pose, backgroundChanger: app?.credits.backgroundChanger ?? 0 };
  });
  const cost = createMemo(() => {
    const p = prices();
    return p ? form.cost(p) : null;
  });
  const available = () => {
    const b = balance.balance.state === "ready" || balance.balance.state === "refreshing" ? balance.balance.latest : undefined;
    if (!b) return null;
    return b.unlimited ? Infinity : b.available;
  };
  const short = () => {
    const c = cost();
    const a = available();
    return c !== null && a !== null && c.total > a;
  };
  const placed = createMemo(() => placeServerError(submitter.error()));
  // The prompt it was about, so the message goes once the text changes.
  let failedPrompt = "";
  const promptServerError = () => (placed().prompt && form.textPrompt() === failedPrompt ? placed().prompt : undefined);
  const errors = () => fieldErrors(submitter.error(), ["textPrompt", "backgroundColor", "backgroundPrompt", "selectedPoseIds", "outputFormats"]);
  const generalError = () => {
    const e = submitter.error();
    if (!e || placed().prompt || placed().background) return null;
    return Object.keys(errors()).length ? null : e;
  };
  const reason = () => {
    if (!prices() || available() === null) return "Loading prices and your balance…";
    if (short()) return "Not enough credits for this.";
    return form.blocker();
  };

  async function submit(event: SubmitEvent) {
    event.preventDefault();
    const project = projectId();
    if (!project || reason()) return;
    failedPrompt = form.textPrompt();
    const generation = await submitter.submit(form.body(project));
    if (generation) navigate(`/generations/${generation.id}`);
  }

  return (
    <Page title="Pose Generator" lead="Pick poses from the library or describe one; add a background and export sizes.">
      <div class="studio">
        <div class="studio__main">
          <ProjectPicker store={projects} selected={projectId()} onSelect={(id) => setSearch({ project: id }, { replace: true })} lead="Projects keep your poses and backgrounds together." />
          <Panel title="Poses">
            <ChoiceGroup
              legend="Start from"
              options={[
                { value: "GALLERY_REFERENCE", label: "Pose library" },
                { value: "TEXT_DESCRIPTION", label: "A description" },
              ]}
              value={form.mode()}
              onChange={form.setMode}
            />
            <Show when={form.mode() === "GALLERY_REFERENCE"} fallback={<TextMode form={form} serverError={promptServerError()} fieldError={errors().textPrompt} />}>
              <SelectedPoses form={form} />
              <LibraryBrowser library={library} form={form} />
              <NumberField
                label="Images per pose"
                hint={`${LIMITS.batch[0]}–${LIMITS.batch[1]} variations of each picked pose`}
                value={form.batchSize()}
                range={LIMITS.batch}
                onChange={form.setBatchSize}
              />
            </Show>
          </Panel>
          <Panel title="Options">
            <BackgroundOptions form={form} errors={errors()} serverError={placed().background} />
            <ExportFormats form={form} />
            <AvatarPicker form={form} store={avatars} />
          </Panel>
        </div>
        <aside class="studio__aside">
          <Panel title="Summary" class="panel--summary" busy={!prices() && apps.apps.state !== "errored"}>
            {/* Its own small form: Enter in a search or name field elsewhere never starts a generation. */}
            <Show when={apps.apps.state !== "errored"} fallback={<ErrorNotice error={apps.apps.error} onRetry={apps.refetch} />}>
              <Show when={cost()} fallback={<Skeleton width="100%" height="6rem" />}>
                {(c) => <CostPreview lines={c().lines} total={c().total} available={available()} />}
              </Show>
            </Show>
            <Show when={generalError()}>
              <ErrorNotice error={generalError()} urgent />
            </Show>
            <form class="summary__form" onSubmit={submit}>
              <button type="submit" class="button button--primary button--block" disabled={submitter.busy() || !!reason()} aria-describedby="pose-submit-reason">
                {submitter.busy() ? "Starting…" : `Generate ${form.items()} ${form.items() === 1 ? "image" : "images"}`}
                <Show when={cost() && !submitter.busy()}> · {formatCredits(cost()!.total)} credits</Show>
              </button>
              <p class="summary__reason" id="pose-submit-reason">
                {reason() ?? "Credits are held now and charged only for images that finish."}
              </p>
            </form>
          </Panel>
        </aside>
      </div>
    </Page>
  );
}
