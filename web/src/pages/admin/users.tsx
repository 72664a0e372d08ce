/** Admin users: a literal search over email and name, newest first. */
import { A } from "@solidjs/router";
import { For, Show, createSignal } from "solid-js";
import { ErrorNotice } from "../../components/error-notice";
import { LoadMore } from "../../components/load-more";
import { Page } from "../../components/page";
import { Panel } from "../../components/panel";
import { api, call } from "../../lib/api";
import { formatDateTime } from "../../lib/format";
import { createPagedList } from "../../stores/paged-list";

export function Users() {
  const [search, setSearch] = createSignal("");
  const users = createPagedList((cursor) => call(api.admin.users.$get({ query: { limit: "50", cursor, search: search() || undefined } })));
  let timer: number | undefined;
  const onInput = (value: string) => {
    setSearch(value);
    window.clearTimeout(timer);
    timer = window.setTimeout(() => void users.reload(), 250);
  };
  return (
    <Page title="Users">
      <Panel title="Find a user">
        <label class="field">
          <span class="field__label">Email or name</span>
          <input class="field__input" type="search" value={search()} onInput={(e) => onInput(e.currentTarget.value)} placeholder="Matched literally, e.g. 100%" />
        </label>
        <Show when={users.phase() === "error"}>
          <ErrorNotice error={users.error()} onRetry={users.reload} />
        </Show>
        <table class="admin__table" data-testid="admin-users">
          <thead>
            <tr>
              <th>Name</th>
              <th>Email</th>
              <th>Role</th>
              <th>Tags</th>
              <th>Joined</th>
            </tr>
          </thead>
          <tbody>
            <For each={users.items()}>
              {(u) => (
                <tr>
                  <td>
                    <A href={`/admin/users/${encodeURIComponent(u.id)}`}>{u.name}</A>
                  </td>
                  <td>{u.email}</td>
                  <td>{u.role}</td>
                  <td>{u.tags.join(", ")}</td>
                  <td>{formatDateTime(u.createdAt)}</td>
                </tr>
              )}
            </For>
          </tbody>
        </table>
        <LoadMore list={users} />
      </Panel>
    </Page>
  );
}
