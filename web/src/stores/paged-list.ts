/** A cursor-paginated list (`{items, nextCursor}`): first page, "load more", and new items merged on top. */
import { createSignal } from "solid-js";
import { coalesce } from "../lib/coalesce";

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

type Phase = "loading" | "ready" | "error" | "loadingMore" | "moreError";

export function createPagedList<T extends { id: string }>(fetchPage: (cursor: string | undefined) => Promise<Page<T>>) {
  const [items, setItems] = createSignal<T[]>([]);
  const [nextCursor, setNextCursor] = createSignal<string | null>(null);
  const [phase, setPhase] = createSignal<Phase>("loading");
  const [error, setError] = createSignal<unknown>(null);
  /** Answers from a superseded reload are dropped. */
  let version = 0;
  let loading: Promise<void> | null = null;

  async function load(mine: number) {
    setPhase("loading");
    try {
      const page = await fetchPage(undefined);
      if (mine !== version) return;
      setItems(page.items);
      setNextCursor(page.nextCursor);
      setPhase("ready");
    } catch (e) {
      if (mine !== version) return;
      setError(e);
      setPhase("error");
    }
  }

  function reload(): Promise<void> {
    loading = load(++version);
    return loading;
  }

  async function loadMore() {
    const cursor = nextCursor();
    if (!cursor || phase() === "loadingMore" || phase() === "loading") return;
    const mine = version;
    setPhase("loadingMore");
    try {
      const page = await fetchPage(cursor);
      if (mine !== version) return;
      const seen = new Set(items().map((i) => i.id));
      setItems([...items(), ...page.items.filter((i) => !seen.has(i.id))]);
      setNextCursor(page.nextCursor);
      setPhase("ready");
    } catch (e) {
      if (mine !== version) return;
      setError(e);
      setPhase("moreError");
    }
  }

  /** Puts entries newer than the first shown one on top, keeping the pages already loaded. */
  async function refreshHead() {
    // A first page still on its way may predate the news: let it land, then look again.
    if (phase() === "loading") await loading;
    if (phase() === "error") return reload();
    const mine = version;
    try {
      const page = await fetchPage(undefined);
      if (mine !== version) return;
      const seen = new Set(items().map((i) => i.id));
      const fresh = page.items.filter((i) => !seen.has(i.id));
      // A whole page of unseen entries may hide a gap below it: start over instead.
      if (fresh.length > 0 && fresh.length === page.items.length && items().length > 0 && page.nextCursor) return reload();
      if (fresh.length > 0) setItems([...fresh, ...items()]);
    } catch {
      // The list shown is still right as far as it goes; the next resync tries again.
    }
  }

  function replaceItems(update: (items: T[]) => T[]) {
    setItems(update(items()));
  }

  void reload();

  return {
    items,
    phase,
    error,
    hasMore: () => nextCursor() !== null,
    reload: () => void reload(),
    loadMore: () => void loadMore(),
    /** Safe to call on every event: bursts fold into at most two requests. */
    refreshHead: coalesce(refreshHead),
    replaceItems,
  };
}
