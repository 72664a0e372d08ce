/** The admin console: one section per path under /admin, behind a tab bar. */
import { A, useLocation } from "@solidjs/router";
import { Match, Switch } from "solid-js";
// Imported here, not in styles/index.css: only the admin chunk needs it.
import "../../styles/pages/admin.css";
import { Overview } from "./overview";
import { Operations } from "./operations";
import { Orders } from "./orders";
import { UserDetail } from "./user-detail";
import { Users } from "./users";
import { Work } from "./work";

export default function Console() {
  const location = useLocation();
  const userId = () => /^\/admin\/users\/([^/]+)$/.exec(location.pathname)?.[1];
  return (
    <div class="admin">
      <nav class="admin__tabs" aria-label="Admin">
        <A href="/admin" end class="admin__tab">
          Overview
        </A>
        <A href="/admin/users" class="admin__tab">
          Users
        </A>
        <A href="/admin/generations" class="admin__tab">
          Generations
        </A>
        <A href="/admin/orders" class="admin__tab">
          Orders
        </A>
        <A href="/admin/operations" class="admin__tab">
          Operations
        </A>
      </nav>
      <Switch fallback={<Overview />}>
        <Match when={userId()}>{(id) => <UserDetail id={decodeURIComponent(id())} />}</Match>
        <Match when={location.pathname === "/admin/users"}>
          <Users />
        </Match>
        <Match when={location.pathname === "/admin/generations"}>
          <Work />
        </Match>
        <Match when={location.pathname === "/admin/orders"}>
          <Orders />
        </Match>
        <Match when={location.pathname === "/admin/operations"}>
          <Operations />
        </Match>
      </Switch>
    </div>
  );
}
