/** The root layout: the splash while the session restores, then header, main and footer around the page. */
import { A, useLocation, type RouteSectionProps } from "@solidjs/router";
import { Match, Show, Suspense, Switch, createEffect, on } from "solid-js";
import { realtime } from "../lib/realtime";
import { currentUser, restoreSession, session } from "../stores/session";
import { BrandMark } from "./brand";
import { Splash } from "./splash";

function Header() {
  return (
    <header class="topbar">
      <div class="topbar__inner">
        <A href="/" class="brand" end>
          <BrandMark />
          <span class="brand__name">Lumiku</span>
        </A>
        <Show
          when={currentUser()}
          fallback={
            <nav class="topbar__guest" aria-label="Account">
              <A href="/login" class="topbar__link">
                Log in
              </A>
              <A href="/signup" class="button button--primary button--small">
                Sign up
              </A>
            </nav>
          }
        >
          {(user) => (
            <>
              <nav class="topbar__nav" aria-label="Main">
                <A href="/" end class="topbar__link">
                  Dashboard
                </A>
                <A href="/gallery" class="topbar__link">
                  Gallery
                </A>
                <A href="/credits" class="topbar__link">
                  Credits
                </A>
                <A href="/sessions" class="topbar__link">
                  Sessions
                </A>
                <A href="/settings" class="topbar__link">
                  Settings
                </A>
                <Show when={user().role === "admin"}>
                  <A href="/admin" class="topbar__link">
                    Admin
                  </A>
                </Show>
              </nav>
              <div class="topbar__user">
                <span class="live-dot" classList={{ "is-live": realtime.status() === "live" }} role="img" aria-label="Live updates on" title="Live updates on" />
                <span class="topbar__name" title={user().email}>
                  {user().name}
                </span>
                <A href="/logout" class="topbar__link">
                  Log out
                </A>
              </div>
            </>
          )}
        </Show>
      </div>
    </header>
  );
}

export function Shell(props: RouteSectionProps) {
  const location = useLocation();
  let main: HTMLElement | undefined;
  // After a client-side navigation, start keyboard and screen-reader users at the new page.
  createEffect(
    on(
      () => location.pathname,
      () => main?.focus({ preventScroll: true }),
      { defer: true },
    ),
  );

  return (
    <Switch>
      <Match when={session().status === "restoring"}>
        <Splash />
      </Match>
      <Match when={session().status === "unreachable"}>
        <Splash onRetry={() => void restoreSession()} />
      </Match>
      <Match when={true}>
        {/* Handled here: the router would treat "#main" as a navigation and leave focus behind. */}
        {/* biome-ignore lint/a11y/useValidAnchor: a real link to #main (works without script); the click only keeps focus right */}
        <a
          class="skip-link"
          href="#main"
          onClick={(event) => {
            event.preventDefault();
            main?.focus();
          }}
        >
          Skip to content
        </a>
        <Header />
        <main id="main" class="main" tabindex="-1" ref={main}>
          <Suspense fallback={<div class="page-loading" aria-busy="true" />}>{props.children}</Suspense>
        </main>
        <footer class="footer">
          <p>Lumiku · AI creative studio</p>
        </footer>
      </Match>
    </Switch>
  );
}
