/** Export sizes (those the server offers) and the optional avatar used as the face. */
import { A } from "@solidjs/router";
import { For, Show, createUniqueId } from "solid-js";
import { Loaded } from "../../components/loaded";
import { Skeleton } from "../../components/skeleton";
import type { createAllAvatarsStore } from "../../stores/avatars";
import type { ExportFormat, PoseForm, PoseLimits } from "../../stores/pose-form";

const FORMAT_LABELS: Record<ExportFormat, { label: string; size: string }> = {
  original: { label: "Original", size: "768×1024" },
  instagram_post: { label: "Instagram post", size: "1080×1080" },
  instagram_story: { label: "Instagram story", size: "1080×1920" },
  thumbnail: { label: "Thumbnail", size: "400×400" },
};

export function ExportFormats(props: { form: PoseForm; limits: PoseLimits }) {
  return (
    <fieldset class="checks">
      <legend class="choices__legend">Export sizes</legend>
      <div class="checks__options fill-grid">
        <For each={props.limits.exportSizes}>
          {(format) => (
            <label class="check">
              <input type="checkbox" checked={props.form.formats().includes(format)} onChange={() => props.form.toggleFormat(format)} />
              <span>
                {FORMAT_LABELS[format].label} <span class="check__hint">{FORMAT_LABELS[format].size}</span>
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

export function AvatarPicker(props: { form: PoseForm; store: ReturnType<typeof createAllAvatarsStore> }) {
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
