/** The pose library: categories with counts, and a paged search that follows a debounced query and a category. */
import { createEffect, createResource, createSignal, on, onCleanup } from "solid-js";
import { api, call, type Data } from "../lib/api";
import { createPagedList } from "./paged-list";

const library = api.apps["pose-generator"].library;

export type Pose = Data<typeof library.$get>["items"][number];
export type PoseCategory = Data<typeof library.categories.$get>["categories"][number];
export type PoseCategoryId = PoseCategory["id"];

const PAGE_SIZE = 24;
const SEARCH_DELAY_MS = 300;

export function createPoseLibrary() {
  /** What the box shows, at once; `query` follows it after a pause in typing. */
  const [text, setText] = createSignal("");
  const [query, setQuery] = createSignal("");
  const [category, setCategory] = createSignal<PoseCategoryId | null>(null);

  const [categories, { refetch: refetchCategories }] = createResource(async () => (await call(library.categories.$get())).categories);
  const poses = createPagedList((cursor) => call(library.$get({ query: { limit: String(PAGE_SIZE), cursor, search: query() || undefined, category: category() ?? undefined } })));

  let timer: number | undefined;
  onCleanup(() => window.clearTimeout(timer));
  function search(value: string) {
    setText(value);
    window.clearTimeout(timer);
    timer = window.setTimeout(() => setQuery(value.trim().slice(0, 100)), SEARCH_DELAY_MS);
  }
  createEffect(on([query, category], () => poses.reload(), { defer: true }));

  return {
    text,
    query,
    search,
    category,
    setCategory,
    categories,
    refetchCategories: () => void refetchCategories(),
    poses,
  };
}

export type PoseLibrary = ReturnType<typeof createPoseLibrary>;
