/** Any path the SPA does not know. */
import { A } from "@solidjs/router";
import { EmptyState } from "../components/panel";
import { Page } from "../components/page";

export default function NotFound() {
  return (
    <Page title="Page not found">
      <EmptyState title="There is nothing at this address.">
        <A href="/">Go to the dashboard</A>
      </EmptyState>
    </Page>
  );
}
