/** /admin: the console's code loads only for admins; everyone else sees that it is not for them. */
import { A } from "@solidjs/router";
import { Show, lazy } from "solid-js";
import { Page } from "../components/page";
import { currentUser } from "../stores/session";

const Console = lazy(() => import("./admin/console"));

export default function AdminGate() {
  return (
    <Show
      when={currentUser()?.role === "admin"}
      fallback={
        <Page title="Not allowed" lead="The admin console is for Lumiku administrators.">
          <p class="notice notice--warning" data-testid="admin-not-allowed">
            Your account cannot open this page. <A href="/">Back to the dashboard</A>
          </p>
        </Page>
      }
    >
      <Console />
    </Show>
  );
}
