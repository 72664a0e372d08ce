/** The dashboard's studio data: the app catalogue and the latest generations, kept live by realtime. */
import { createResource, onCleanup } from "solid-js";
import { api, ApiError, call, type Data } from "../lib/api";
import { coalesce } from "../lib/coalesce";
import { realtime } from "../lib/realtime";
import { useAccount } from "./account";
import type { CatalogStore } from "./catalog";

export type { AppSummary } from "./catalog";
export type Generation = Data<typeof api.generations.$get>["items"][number];

/** The apps the SPA has a page for; the others show in the catalogue without a link. */
const APP_PAGES: ReadonlySet<string> = new Set(["pose-generator", "avatar-creator", "carousel-mix", "looping-flow", "video-mixer"]);
export const appPath = (appId: string) => (APP_PAGES.has(appId) ? `/apps/${appId}` : null);

/** Apps whose own page shows a generation (its items are not images with export formats). */
const OWN_GENERATION_VIEW: ReadonlySet<string> = new Set(["carousel-mix"]);
export const ownGenerationPath = (g: { appId: string; projectId: string; id: string }) =>
  OWN_GENERATION_VIEW.has(g.appId) ? `/apps/${g.appId}?project=${encodeURIComponent(g.projectId)}&generation=${encodeURIComponent(g.id)}` : null;

/** "pose-generator" → "Pose Generator": for places that show an app without loading the catalogue. */
export const appLabel = (appId: string) =>
  appId
    .split("-")
    .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
    .join(" ");

/** A 404 here means the server does not offer the route yet: an empty state, not an error. */
export const isNotOffered = (e: unknown) => e instanceof ApiError && e.status === 404;

/** The session's one catalogue (see stores/catalog.ts): every page that asks shares one request. */
export function createAppsStore(): CatalogStore {
  return useAccount().catalog;
}

export function createRecentGenerationsStore(limit = 5) {
  const [generations, { refetch, mutate }] = createResource(async () => (await call(api.generations.$get({ query: { limit: String(limit) } }))).items);
  const refetchSoon = coalesce(refetch);

  onCleanup(
    realtime.on("generation.progress", (event) => {
      const list = generations.state === "ready" ? generations() : undefined;
      if (!list?.some((g) => g.id === event.generationId)) return refetchSoon();
      mutate(list.map((g) => (g.id === event.generationId ? { ...g, status: event.status, completed: event.completed, failed: event.failed, total: event.total } : g)));
    }),
  );
  onCleanup(realtime.on("generation.finished", refetchSoon));
  onCleanup(realtime.onResync(refetchSoon));

  return { generations, refetch: () => void refetch() };
}
