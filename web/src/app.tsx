/** Routes: one lazily loaded page per path; the signed-in pages share one account scope. */
import { Navigate, Route, Router, useLocation, type RouteSectionProps } from "@solidjs/router";
import { Match, Switch, lazy } from "solid-js";
import { Shell } from "./components/shell";
import { AccountProvider } from "./stores/account";
import { currentUser, session } from "./stores/session";

const pages = {
  login: lazy(() => import("./pages/login")),
  signup: lazy(() => import("./pages/signup")),
  logout: lazy(() => import("./pages/logout")),
  dashboard: lazy(() => import("./pages/dashboard")),
  credits: lazy(() => import("./pages/credits")),
  sessions: lazy(() => import("./pages/sessions")),
  settings: lazy(() => import("./pages/settings")),
  poseGenerator: lazy(() => import("./pages/pose-generator/index")),
  avatarCreator: lazy(() => import("./pages/avatar-creator/index")),
  loopingFlow: lazy(() => import("./pages/looping-flow/index")),
  carouselMix: lazy(() => import("./pages/carousel-mix/carousel-mix")),
  videoMixer: lazy(() => import("./pages/video-mixer")),
  generation: lazy(() => import("./pages/generation")),
  gallery: lazy(() => import("./pages/gallery/index")),
  admin: lazy(() => import("./pages/admin-gate")),
  notFound: lazy(() => import("./pages/not-found")),
};

const byPath: Record<string, { preload: () => unknown }> = {
  "/": pages.dashboard,
  "/login": pages.login,
  "/signup": pages.signup,
  "/credits": pages.credits,
  "/sessions": pages.sessions,
  "/gallery": pages.gallery,
  "/settings": pages.settings,
  "/apps/pose-generator": pages.poseGenerator,
  "/apps/avatar-creator": pages.avatarCreator,
  "/apps/looping-flow": pages.loopingFlow,
  "/apps/carousel-mix": pages.carouselMix,
  "/apps/video-mixer": pages.videoMixer,
};

/** Fetches the first page's code while the session is still being restored. */
export function preloadCurrentPage(): void {
  const page = location.pathname.startsWith("/generations/") ? pages.generation : byPath[location.pathname];
  void page?.preload();
}

/** Signed-out visitors go to /login and come back here after; signed-in ones get their account scope. */
function RequireSession(props: RouteSectionProps) {
  const location = useLocation();
  const userId = () => currentUser()?.id;
  return (
    <Switch>
      <Match when={session().status === "signedOut"}>
        <Navigate href={() => `/login?next=${encodeURIComponent(location.pathname + location.search)}`} />
      </Match>
      <Match when={userId()} keyed>
        {(_userId) => <AccountProvider>{props.children}</AccountProvider>}
      </Match>
    </Switch>
  );
}

export function App() {
  return (
    <Router root={Shell}>
      <Route path="/login" component={pages.login} />
      <Route path="/signup" component={pages.signup} />
      <Route path="/logout" component={pages.logout} />
      <Route component={RequireSession}>
        <Route path="/" component={pages.dashboard} />
        <Route path="/credits" component={pages.credits} />
        <Route path="/sessions" component={pages.sessions} />
        <Route path="/settings" component={pages.settings} />
        <Route path="/apps/pose-generator" component={pages.poseGenerator} />
        <Route path="/apps/avatar-creator" component={pages.avatarCreator} />
        <Route path="/apps/looping-flow" component={pages.loopingFlow} />
        <Route path="/apps/carousel-mix" component={pages.carouselMix} />
        <Route path="/apps/video-mixer" component={pages.videoMixer} />
        <Route path="/generations/:id" component={pages.generation} />
        <Route path="/gallery" component={pages.gallery} />
        <Route path="/admin/*rest" component={pages.admin} />
      </Route>
      <Route path="*404" component={pages.notFound} />
    </Router>
  );
}
