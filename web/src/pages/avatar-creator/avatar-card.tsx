/** One avatar: its image, name and origin, renamed or deleted in place (delete asks once more). */
import { Match, Show, Switch, createSignal } from "solid-js";
import { ErrorNotice } from "../../components/error-notice";
import { Field } from "../../components/field";
import { formatRelative } from "../../lib/format";
import type { Avatar, AvatarList } from "../../stores/avatars";
import { NAME_MAX } from "./avatar-name";

export function AvatarCard(props: { avatar: Avatar; list: AvatarList }) {
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
            <div class="avatar-card__actions fill-grid">
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
          <div class="avatar-card__actions fill-grid">
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
