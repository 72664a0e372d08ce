/** Avatar Creator: project, upload a photo (checked in the browser first), generate from a prompt and preset, manage avatars. */
import { useNavigate, useSearchParams } from "@solidjs/router";
import { For, Match, Show, Switch, createMemo, createSignal, createUniqueId, onCleanup } from "solid-js";
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
import { fieldErrors } from "../lib/form";
import { formatCredits, formatRelative } from "../lib/format";
import { checkImageFile, IMAGE_POLICY, ImageProblem, type CheckedImage } from "../lib/image-file";
import { useAccount } from "../stores/account";
import { createAvatarList, createPresetsStore, type Avatar, type AvatarList } from "../stores/avatars";
import { createGenerationSubmitter } from "../stores/generation-submit";
import { createProjectsStore } from "../stores/projects";
import { createAppsStore } from "../stores/studio";

const APP_ID = "avatar-creator";
const PROMPT = [3, 500] as const;
const STYLE_MAX = 100;
const NAME_MAX = 100;
const COUNTS = [1, 2, 3, 4].map((n) => ({ value: String(n), label: String(n) }));
const SKELETON_AVATARS = 4;

/** "my photo.final.jpg" → "my photo.final" */
const nameFromFile = (file: File) => file.name.replace(/\.[a-z0-9]+$/i, "").slice(0, NAME_MAX) || "Avatar";

function UploadPanel(props: { list: AvatarList; disabled: boolean }) {
  const [chosen, setChosen] = createSignal<(CheckedImage & { url: string }) | null>(null);
  const [problem, setProblem] = createSignal<string | null>(null);
  const [name, setName] = createSignal("");
  const [busy, setBusy] = createSignal(false);
  const [error, setError] = createSignal<unknown>(null);
  const [done, setDone] = createSignal<string | null>(null);
  const nameError = () => fieldErrors(error(), ["name"]).name;

  function choose(next: (CheckedImage & { url: string }) | null) {
    const previous = chosen();
    if (previous) URL.revokeObjectURL(previous.url);
    setChosen(next);
  }
  onCleanup(() => choose(null));

  async function take(file: File) {
    setProblem(null);
    setError(null);
    setDone(null);
    try {
      const checked = await checkImageFile(file);
      choose({ ...checked, url: URL.createObjectURL(file) });
      if (!name().trim()) setName(nameFromFile(file));
    } catch (e) {
      choose(null);
      setProblem(e instanceof ImageProblem ? e.message : "This file could not be read.");
    }
  }

  async function submit(event: SubmitEvent) {
    event.preventDefault();
    const image = chosen();
    if (!image || busy() || !name().trim()) return;
    setBusy(true);
    setError(null);
    try {
      const avatar = await props.list.upload(image.file, name().trim());
      setDone(`Uploaded “${avatar.name}”.`);
      choose(null);
      setName("");
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  }

  return (
    <Panel title="Upload a photo">
      <form class="stack stack--tight" onSubmit={submit}>
        <ImageDrop
          label={chosen() ? "Choose another photo" : "Drop a photo here, or choose one"}
          hint={`PNG, JPEG or WebP · up to ${IMAGE_POLICY.maxBytes / (1024 * 1024)} MB · ${IMAGE_POLICY.minSide}–${IMAGE_POLICY.maxSide} px each side`}
          preview={chosen()?.url ?? null}
          error={problem()}
          disabled={props.disabled || busy()}
          onFile={(file) => void take(file)}
        >
          <Show when={chosen()}>
            {(c) => (
              <p class="field__hint" data-testid="upload-checked">
                Ready: {c().format.toUpperCase()} · {c().width}×{c().height} px
              </p>
            )}
          </Show>
        </ImageDrop>
        <Field label="Avatar name" name="avatar-name" required maxLength={NAME_MAX} autocomplete="off" value={name()} onInput={(e) => setName(e.currentTarget.value)} error={nameError()} />
        <Show when={error() && !nameError()}>
          <ErrorNotice error={error()} urgent />
        </Show>
        <p class="visually-hidden" aria-live="polite">
          {done()}
        </p>
        <Show when={done()}>
          <p class="notice notice--success" aria-hidden="true">
            {done()}
          </p>
        </Show>
        <div>
          <button type="submit" class="button button--primary" disabled={props.disabled || busy() || !chosen() || !name().trim()}>
            {busy() ? "Uploading…" : "Upload avatar"}
          </button>
        </div>
      </form>
    </Panel>
  );
}

function GeneratePanel(props: { projectId: string | undefined }) {
  const navigate = useNavigate();
  const { balance } = useAccount();
  const apps = createAppsStore();
  const presets = createPresetsStore();
  const submitter = createGenerationSubmitter(APP_ID);
  const promptId = createUniqueId();
  const presetId = createUniqueId();
  const [prompt, setPrompt] = createSignal("");
  const [preset, setPreset] = createSignal("");
  const [style, setStyle] = createSignal("");
  const [count, setCount] = createSignal(1);
  const [touched, setTouched] = createSignal(false);

  const unit = createMemo(() => (apps.apps.state === "ready" ? apps.apps().find((a) => a.id === APP_ID)?.credits.avatar : undefined));
  const total = () => (unit() ?? 0) * count();
  const available = () => {
    const b = balance.balance.state === "ready" || balance.balance.state === "refreshing" ? balance.balance.latest : undefined;
    return b ? (b.unlimited ? Infinity : b.available) : null;
  };
  const promptProblem = () => {
    const n = prompt().trim().length;
    if (n < PROMPT[0]) return `Describe the avatar in at least ${PROMPT[0]} characters`;
    if (n > PROMPT[1]) return `Keep the description to ${PROMPT[1]} characters`;
    return null;
  };
  const serverErrors = () => fieldErrors(submitter.error(), ["prompt", "style", "presetId"]);
  const shownPromptError = () => (touched() || prompt() ? promptProblem() : null) ?? serverErrors().prompt;
  const reason = () => {
    if (!props.projectId) return "Create or choose a project first.";
    if (unit() === undefined || available() === null) return "Loading prices and your balance…";
    if (total() > (available() ?? 0)) return "Not enough credits for this.";
    if (promptProblem()) return "Describe the avatar you want.";
    if (style().trim().length > STYLE_MAX) return `Keep the style to ${STYLE_MAX} characters.`;
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
    <Panel title="Generate avatars">
      <form class="stack stack--tight" onSubmit={submit} novalidate>
        <div class="field" classList={{ "field--invalid": !!shownPromptError() }}>
          <label class="field__label" for={promptId}>
            Describe the avatar
          </label>
          <textarea
            id={promptId}
            class="field__input field__textarea"
            rows="3"
            maxLength={PROMPT[1]}
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
              {prompt().trim().length}/{PROMPT[1]}
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
          maxLength={STYLE_MAX}
          placeholder="e.g. blue background, soft light"
          value={style()}
          onInput={(e) => setStyle(e.currentTarget.value)}
          error={serverErrors().style}
        />
        <ChoiceGroup legend="How many" options={COUNTS} value={String(count())} onChange={(v) => setCount(Number(v))} />
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
    </Panel>
  );
}

function AvatarCard(props: { avatar: Avatar; list: AvatarList }) {
  const [mode, setMode] = createSignal<"view" | "rename" | "confirmDelete">("view");
  const [name, setName] = createSignal(props.avatar.name);
  const [busy, setBusy] = createSignal(false);
  const [error, setError] = createSignal<unknown>(null);
  const a = () => props.avatar;

  async function run(work: () => Promise<void>) {
    setBusy(true);
    setError(null);
    try {
      await work();
      setMode("view");
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  }

  return (
    <li class="avatar-card" data-testid="avatar-card">
      <a class="avatar-card__image" href={a().imageUrl} target="_blank" rel="noopener" aria-label={`${a().name}: open the full image`}>
        <img src={a().thumbnailUrl} alt="" loading="lazy" />
      </a>
      <Switch>
        <Match when={mode() === "rename"}>
          <form
            class="avatar-card__form"
            onSubmit={(e) => {
              e.preventDefault();
              const value = name().trim();
              if (value && !busy()) void run(() => props.list.rename(a().id, value));
            }}
          >
            <Field label="New name" maxLength={NAME_MAX} required value={name()} onInput={(e) => setName(e.currentTarget.value)} ref={(el: HTMLInputElement) => queueMicrotask(() => el.select())} />
            <div class="avatar-card__actions">
              <button type="submit" class="button button--primary button--small" disabled={busy() || !name().trim()}>
                {busy() ? "Saving…" : "Save"}
              </button>
              <button type="button" class="button button--secondary button--small" onClick={() => setMode("view")}>
                Cancel
              </button>
            </div>
          </form>
        </Match>
        <Match when={true}>
          <div class="avatar-card__body">
            <p class="avatar-card__name" title={a().name}>
              {a().name}
            </p>
            <p class="avatar-card__meta">
              {a().source === "upload" ? "Uploaded" : "Generated"} · {a().width}×{a().height} · {formatRelative(a().createdAt)}
            </p>
          </div>
          <div class="avatar-card__actions">
            <Show
              when={mode() === "confirmDelete"}
              fallback={
                <>
                  <button
                    type="button"
                    class="button button--secondary button--small"
                    aria-label={`Rename ${a().name}`}
                    onClick={() => {
                      setName(a().name);
                      setMode("rename");
                    }}
                  >
                    Rename
                  </button>
                  <button type="button" class="button button--danger button--small" aria-label={`Delete ${a().name}`} onClick={() => setMode("confirmDelete")}>
                    Delete
                  </button>
                </>
              }
            >
              <button
                type="button"
                class="button button--danger button--small"
                disabled={busy()}
                onClick={() => void run(() => props.list.remove(a().id))}
                ref={(el) => queueMicrotask(() => el.focus())}
              >
                {busy() ? "Deleting…" : "Confirm delete"}
              </button>
              <button type="button" class="button button--secondary button--small" onClick={() => setMode("view")}>
                Keep
              </button>
            </Show>
          </div>
        </Match>
      </Switch>
      <Show when={error()}>
        <ErrorNotice error={error()} urgent />
      </Show>
    </li>
  );
}

function AvatarsPanel(props: { list: AvatarList }) {
  const list = props.list;
  return (
    <Panel title="Your avatars" class="panel--avatars" busy={list.phase() === "loading"}>
      <Switch>
        <Match when={list.phase() === "error"}>
          <ErrorNotice error={list.error()} onRetry={list.reload} />
        </Match>
        <Match when={list.phase() === "loading"}>
          <ul class="avatar-grid" aria-hidden="true">
            <For each={Array.from({ length: SKELETON_AVATARS })}>
              {() => (
                <li class="avatar-card">
                  <span class="avatar-card__image" />
                  <Skeleton width="70%" height="1.25rem" />
                  <Skeleton width="50%" height="1rem" />
                </li>
              )}
            </For>
          </ul>
        </Match>
        <Match when={list.items().length === 0}>
          <EmptyState title="No avatars in this project yet">Upload a photo or generate a few to see them here.</EmptyState>
        </Match>
        <Match when={true}>
          <ul class="avatar-grid" data-testid="avatars">
            <For each={list.items()}>{(avatar) => <AvatarCard avatar={avatar} list={list} />}</For>
          </ul>
          <LoadMore list={list} />
        </Match>
      </Switch>
    </Panel>
  );
}

export default function AvatarCreator() {
  const [search, setSearch] = useSearchParams();
  const projects = createProjectsStore(APP_ID);
  const projectId = () => projects.selected(search.project);
  const avatars = createAvatarList(projectId);

  return (
    <Page title="Avatar Creator" lead="Upload a photo or describe a face, and keep your avatars in one place.">
      <div class="studio studio--avatars">
        <div class="studio__main">
          <ProjectPicker store={projects} selected={projectId()} onSelect={(id) => setSearch({ project: id }, { replace: true })} lead="Projects keep your avatars together." />
          <UploadPanel list={avatars} disabled={!projectId()} />
          <GeneratePanel projectId={projectId()} />
        </div>
        <div class="studio__aside">
          <AvatarsPanel list={avatars} />
        </div>
      </div>
    </Page>
  );
}
