/** The one realtime client: ticket, WebSocket, capped backoff, resync after every (re)connect, typed events. */
import { createSignal } from "solid-js";
import type { RealtimeEvent } from "../../../worker/account/events";
import { api, ApiError, call } from "./api";
import { apiUrl, withApiOrigin } from "./api-base";

/** Server events, typed by the Worker that sends them. */
export type { RealtimeEvent };

export type RealtimeEventType = RealtimeEvent["type"];
type EventOf<K extends RealtimeEventType> = Extract<RealtimeEvent, { type: K }>;

/** "off": stopped; "connecting"; "live": socket open; "waiting": backing off before the next try. */
export type RealtimeStatus = "off" | "connecting" | "live" | "waiting";

const EVENT_TYPES: ReadonlySet<string> = new Set<RealtimeEventType>(["credits.changed", "generation.progress", "generation.finished"]);
const FIRST_DELAY_MS = 1_000;
const MAX_DELAY_MS = 30_000;
/** While the server has no realtime endpoint (404) there is no point asking often. */
const MISSING_ENDPOINT_DELAY_MS = 300_000;
const STABLE_MS = 10_000;

function socketUrl(ticket: string): string {
  const url = new URL(apiUrl("/api/realtime"));
  url.protocol = url.protocol === "https:" ? "wss:" : "ws:";
  url.searchParams.set("ticket", ticket);
  return url.href;
}

function parseEvent(data: unknown): RealtimeEvent | null {
  if (typeof data !== "string") return null;
  try {
    const value: unknown = JSON.parse(data);
    if (typeof value === "object" && value !== null && "type" in value && typeof value.type === "string" && EVENT_TYPES.has(value.type)) {
      return withApiOrigin(value as RealtimeEvent);
    }
  } catch {
    // not JSON: ignored like any unknown frame
  }
  return null;
}

/** One subscriber's bug is reported, never allowed to starve the others. */
function isolate(callback: () => void): void {
  try {
    callback();
  } catch (e) {
    reportError(e);
  }
}

function createRealtime() {
  const [status, setStatus] = createSignal<RealtimeStatus>("off");
  const handlers = new Map<RealtimeEventType, Set<(event: never) => void>>();
  const resyncs = new Set<() => void>();
  let running = false;
  let socket: WebSocket | null = null;
  let timer: number | undefined;
  let attempt = 0;
  /** The last ticket request found no endpoint: tab switches and `online` do not hurry the retry. */
  let endpointMissing = false;
  /** Bumped on stop so a connect that was in flight never revives a stopped client. */
  let generation = 0;

  /** Exponential (1 s doubling to 30 s), or straight to the long wait while the endpoint is missing. */
  function schedule() {
    if (!running) return;
    const ceiling = endpointMissing ? MISSING_ENDPOINT_DELAY_MS : Math.min(MAX_DELAY_MS, FIRST_DELAY_MS * 2 ** attempt);
    attempt++;
    // Equal jitter: never sooner than half the ceiling, so many tabs do not retry in step.
    const delay = ceiling / 2 + Math.random() * (ceiling / 2);
    setStatus("waiting");
    timer = window.setTimeout(connect, delay);
  }

  async function connect() {
    window.clearTimeout(timer);
    if (!running || socket) return;
    const mine = generation;
    setStatus("connecting");
    let ticket: string;
    try {
      ticket = (await call(api.realtime.ticket.$post())).ticket;
    } catch (e) {
      if (mine !== generation) return;
      endpointMissing = e instanceof ApiError && (e.status === 404 || e.status === 501);
      schedule();
      return;
    }
    if (mine !== generation) return;
    endpointMissing = false;
    let ws: WebSocket;
    try {
      ws = new WebSocket(socketUrl(ticket));
    } catch {
      schedule();
      return;
    }
    socket = ws;
    let openedAt = 0;
    ws.onopen = () => {
      openedAt = Date.now();
      setStatus("live");
      // Events may have been missed while disconnected: stores refetch from REST.
      for (const resync of resyncs) isolate(resync);
    };
    ws.onmessage = (message) => {
      const event = parseEvent(message.data);
      if (!event) return;
      for (const handler of handlers.get(event.type) ?? []) isolate(() => (handler as (e: RealtimeEvent) => void)(event));
    };
    ws.onclose = () => {
      if (socket !== ws) return;
      socket = null;
      // Only a connection that held for a while resets the backoff; open-then-drop keeps growing it.
      if (openedAt && Date.now() - openedAt > STABLE_MS) attempt = 0;
      schedule();
    };
    // An error is always followed by close; the browser has already reported it.
    ws.onerror = () => {};
  }

  function reconnectSoon() {
    if (running && !socket && !endpointMissing && status() === "waiting") {
      attempt = 0;
      void connect();
    }
  }

  const onVisible = () => {
    if (document.visibilityState === "visible") reconnectSoon();
  };

  return {
    status,
    /** Connects (idempotent) and keeps reconnecting until stop(). */
    start() {
      if (running) return;
      running = true;
      attempt = 0;
      window.addEventListener("online", reconnectSoon);
      document.addEventListener("visibilitychange", onVisible);
      void connect();
    },
    stop() {
      running = false;
      generation++;
      window.clearTimeout(timer);
      window.removeEventListener("online", reconnectSoon);
      document.removeEventListener("visibilitychange", onVisible);
      const ws = socket;
      socket = null;
      ws?.close(1000, "signed out");
      setStatus("off");
    },
    /** Subscribes to one event type; returns the unsubscribe function. */
    on<K extends RealtimeEventType>(type: K, handler: (event: EventOf<K>) => void): () => void {
      let set = handlers.get(type);
      if (!set) {
        set = new Set();
        handlers.set(type, set);
      }
      set.add(handler as (event: never) => void);
      return () => set.delete(handler as (event: never) => void);
    },
    /** Called after every (re)connect; returns the unsubscribe function. */
    onResync(callback: () => void): () => void {
      resyncs.add(callback);
      return () => resyncs.delete(callback);
    },
  };
}

export const realtime = createRealtime();
