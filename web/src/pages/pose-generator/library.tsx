/** The pose library: search, category, a grid of poses to pick, and the picked ones as removable chips. */
import { For, Match, Show, Switch, createMemo } from "solid-js";
import { ChoiceGroup } from "../../components/choice-group";
import { ErrorNotice } from "../../components/error-notice";
import { Field } from "../../components/field";
import { LoadMore } from "../../components/load-more";
import { EmptyState } from "../../components/panel";
import { Skeleton } from "../../components/skeleton";
import type { PoseForm, PoseLimits } from "../../stores/pose-form";
import type { Pose, PoseCategoryId, PoseLibrary } from "../../stores/pose-library";

const SKELETON_POSES = 8;

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
    <ul class="pose-grid fill-grid" aria-hidden="true">
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

export function LibraryBrowser(props: { library: PoseLibrary; form: PoseForm }) {
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
            <ul class="pose-grid fill-grid" data-testid="pose-grid">
              <For each={poses.items()}>{(pose) => <PoseCard pose={pose} checked={props.form.selected().has(pose.id)} onToggle={() => props.form.toggle(pose)} />}</For>
            </ul>
            <LoadMore list={poses} label="Show more poses" />
          </Match>
        </Switch>
      </div>
    </div>
  );
}

export function SelectedPoses(props: { form: PoseForm; limits: PoseLimits }) {
  const list = () => [...props.form.selected().values()];
  return (
    <div class="picked" aria-live="polite">
      <p class="picked__count" data-testid="selected-count">
        {list().length === 0 ? "No poses picked yet" : `${list().length} ${list().length === 1 ? "pose" : "poses"} picked`}
        <Show when={list().length > props.limits.poses.max}>
          <span class="field__error"> · at most {props.limits.poses.max}</span>
        </Show>
      </p>
      <Show when={list().length > 0}>
        <ul class="inline-list">
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
