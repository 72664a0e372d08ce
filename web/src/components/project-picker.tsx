/** Choose one of an app's projects, name a new one, rename or delete one; the first project is created inline. */
import { For, Show, createSignal, createUniqueId } from "solid-js";
import type { Project, ProjectsStore } from "../stores/projects";
import { ErrorNotice } from "./error-notice";
import { Field } from "./field";
import { Loaded } from "./loaded";
import { Panel } from "./panel";
import { DeleteProjectConfirm, RenameProjectForm } from "./project-manage";
import { Skeleton } from "./skeleton";

function CreateForm(props: { store: ProjectsStore; first: boolean; onCreated: (id: string) => void; onCancel?: () => void }) {
  const [name, setName] = createSignal("");
  const [busy, setBusy] = createSignal(false);
  const [error, setError] = createSignal<unknown>(null);
  async function submit(event: SubmitEvent) {
    event.preventDefault();
    const value = name().trim();
    if (!value || busy()) return;
    setBusy(true);
    setError(null);
    try {
      const project = await props.store.create(value);
      props.onCreated(project.id);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  }
  return (
    <form class="project-form" onSubmit={submit}>
      <Field
        label={props.first ? "Name your first project" : "New project name"}
        name="project-name"
        required
        maxLength={100}
        autocomplete="off"
        placeholder="e.g. Summer campaign"
        value={name()}
        onInput={(e) => setName(e.currentTarget.value)}
        // Opened on request: the name is what the user came to type next.
        ref={(el: HTMLInputElement) => !props.first && queueMicrotask(() => el.focus())}
      />
      <div class="project-form__actions">
        <button type="submit" class="button button--primary" disabled={busy() || !name().trim()}>
          {busy() ? "Creating…" : "Create project"}
        </button>
        <Show when={props.onCancel}>
          <button type="button" class="button button--secondary" onClick={() => props.onCancel?.()}>
            Cancel
          </button>
        </Show>
      </div>
      <Show when={error()}>
        <ErrorNotice error={error()} urgent />
      </Show>
    </form>
  );
}

export function ProjectPicker(props: { store: ProjectsStore; selected: string | undefined; onSelect: (id: string) => void; lead: string }) {
  const id = createUniqueId();
  const [mode, setMode] = createSignal<"pick" | "add" | "rename" | "delete">("pick");
  const adding = () => mode() === "add";
  const setAdding = (on: boolean) => setMode(on ? "add" : "pick");
  const projects = props.store.projects;
  const current = (list: readonly Project[]) => list.find((p) => p.id === props.selected);
  return (
    <Panel title="Project" class="panel--project" busy={projects.state === "pending" || projects.state === "unresolved"}>
      <Loaded of={projects} onRetry={props.store.refetch} skeleton={<Skeleton width="100%" height="2.75rem" />}>
        {(list) => (
          <Show
            when={list().length > 0}
            fallback={
              <div class="stack stack--tight">
                <p class="panel__text">{props.lead}</p>
                <CreateForm store={props.store} first onCreated={props.onSelect} />
              </div>
            }
          >
            <Show
              when={!adding()}
              fallback={
                <CreateForm
                  store={props.store}
                  first={false}
                  onCreated={(created) => {
                    setAdding(false);
                    props.onSelect(created);
                  }}
                  onCancel={() => setAdding(false)}
                />
              }
            >
              <div class="project-picker">
                <div class="field project-picker__field">
                  <label class="field__label" for={id}>
                    Current project
                  </label>
                  <select id={id} class="field__input field__select" value={props.selected ?? ""} onChange={(e) => props.onSelect(e.currentTarget.value)}>
                    <For each={list()}>{(p) => <option value={p.id}>{p.name}</option>}</For>
                  </select>
                </div>
                <button type="button" class="button button--secondary" onClick={() => setAdding(true)}>
                  New project
                </button>
                <Show when={current(list())}>
                  <button type="button" class="button button--secondary" aria-label="Rename project" onClick={() => setMode("rename")}>
                    Rename
                  </button>
                  <button type="button" class="button button--secondary" aria-label="Delete project" onClick={() => setMode("delete")}>
                    Delete
                  </button>
                </Show>
              </div>
              <Show when={mode() === "rename" && current(list())}>{(project) => <RenameProjectForm store={props.store} project={project()} onDone={() => setMode("pick")} />}</Show>
              <Show when={mode() === "delete" && current(list())}>
                {(project) => (
                  <DeleteProjectConfirm
                    store={props.store}
                    project={project()}
                    onCancel={() => setMode("pick")}
                    onDeleted={() => {
                      setMode("pick");
                      const next = props.store.selected(undefined);
                      if (next) props.onSelect(next);
                    }}
                  />
                )}
              </Show>
            </Show>
          </Show>
        )}
      </Loaded>
    </Panel>
  );
}
