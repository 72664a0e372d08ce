/**
 * The app catalogue (GET /api/apps): prices, the limits each app enforces and the upload rule.
 * Fetched once per signed-in session (AccountProvider holds it) and read by every page, so the
 * studio checks exactly what the server publishes and never a copy of it.
 */
import { createResource, createSignal } from "solid-js";
import { api, call, type Data } from "../lib/api";

type Catalog = Data<typeof api.apps.$get>;
export type AppSummary = Catalog["apps"][number];
export type UploadRule = Catalog["uploads"];
export type Range = AppSummary["limits"]["ranges"][string];

export function createCatalogStore() {
  const [uploads, setUploads] = createSignal<UploadRule>();
  const [apps, { refetch }] = createResource(async () => {
    const catalog = await call(api.apps.$get());
    setUploads(catalog.uploads);
    return catalog.apps;
  });
  return { apps, uploads, refetch: () => void refetch() };
}

export type CatalogStore = ReturnType<typeof createCatalogStore>;

/** The app's entry once the catalogue has loaded; undefined while it loads or when it failed. */
export function findApp(store: CatalogStore, appId: string): AppSummary | undefined {
  const state = store.apps.state;
  // A retry after a failed first load is "refreshing" with no value yet, whatever the type says.
  const list: readonly AppSummary[] | undefined = state === "ready" || state === "refreshing" ? store.apps.latest : undefined;
  return list?.find((a) => a.id === appId);
}

/**
 * The named ranges an app publishes, or null when one is missing: then this page does not
 * match the server it talks to, and it says so instead of guessing a limit.
 */
export function publishedRanges<K extends string>(app: AppSummary, names: readonly K[]): Record<K, Range> | null {
  const picked: Partial<Record<K, Range>> = {};
  for (const name of names) {
    const range = app.limits.ranges[name];
    if (!range) return null;
    picked[name] = range;
  }
  return picked as Record<K, Range>;
}

/** What a studio page shows when the server publishes no limit it needs. */
export const OUT_OF_DATE = "This page does not match the server; reload it.";
