/** Renaming a project inline, and deleting one after a confirmation that says what goes with it. */
import { Show, createSignal } from "solid-js";
import { createAction } from "../lib/action";
import type { Project, ProjectsStore } from "../stores/projects";
import { ErrorNotice } from "./error-notice";
import { Field } from "./field";

export function RenameProjectForm(props: { store: ProjectsStore; project: Project; onDone: () => void }) {
  const [name, setName] = createSignal(props.project.name);
  const action = createAction();
  const submit = (event: SubmitEvent) => {
    event.preventDefault();
    const value = name().trim();
    if (!value) return;
    void action.run(async () => {
      await props.store.rename(props.project.id, value);
      props.onDone();
    });
  };
  return (
    <form class="project-form" onSubmit={submit}>
      <Field
        label="Project name"
        name="project-rename"
        required
        maxLength={100}
        autocomplete="off"
        value={name()}
        onInput={(e) => setName(e.currentTarget.value)}
        ref={(el: HTMLInputElement) => queueMicrotask(() => el.select())}
      />
      <div class="project-form__actions">
        <button type="submit" class="button button--primary" disabled={action.busy() || !name().trim()}>
          {action.busy() ? "Saving…" : "Save name"}
        </button>
        <button type="button" class="button button--secondary" onClick={() => props.onDone()}>
          Cancel
        </button>
      </div>
      <Show when={action.error()}>
        <ErrorNotice error={action.error()} urgent />
      </Show>
    </form>
  );
}

export function DeleteProjectConfirm(props: { store: ProjectsStore; project: Project; onDeleted: () => void; onCancel: () => void }) {
  const action = createAction();
  const remove = () =>
    void action.run(async () => {
      await props.store.remove(props.project.id);
      props.onDeleted();
    });
  return (
    <div class="project-delete" role="alertdialog" aria-labelledby="project-delete-title" aria-describedby="project-delete-text">
      <p class="project-delete__title" id="project-delete-title">
        Delete “{props.project.name}”?
      </p>
      <p class="panel__text" id="project-delete-text">
        This removes the project with every generation in it, their images and downloads, and the uploads it holds. Credits already spent stay spent. It cannot be undone; a project with a generation
        still running cannot be deleted until it finishes.
      </p>
      <div class="project-form__actions">
        <button type="button" class="button button--danger" disabled={action.busy()} onClick={remove} ref={(el) => queueMicrotask(() => el.focus())}>
          {action.busy() ? "Deleting…" : "Delete project"}
        </button>
        <button type="button" class="button button--secondary" onClick={() => props.onCancel()}>
          Keep it
        </button>
      </div>
      <Show when={action.error()}>
        <ErrorNotice error={action.error()} urgent />
      </Show>
    </div>
  );
}
