/** The one typed API client: hc<AppType>, an in-memory access token, a shared refresh and ApiError. */
import { hc, type ClientResponse } from "hono/client";
import type { SuccessStatusCode } from "hono/utils/http-status";
import type { AppType } from "../../../worker/app";
import { API_ORIGIN, apiUrl, withApiOrigin } from "./api-base";

/** A failed call, read from the contract's error shape. `status` 0 means the server was not reached. */
export class ApiError extends Error {
  override readonly name = "ApiError";
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly requestId: string | null,
    /** Seconds to wait before retrying (429/503 with Retry-After), else null. */
    readonly retryAfter: number | null,
    readonly details: unknown = undefined,
  ) {
    super(message);
  }
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null;

function parseRetryAfter(header: string | null): number | null {
  if (!header) return null;
  if (/^\d+$/.test(header.trim())) return Number(header.trim());
  const at = Date.parse(header);
  return Number.isNaN(at) ? null : Math.max(0, Math.ceil((at - Date.now()) / 1000));
}

/** Turns a non-2xx response into an ApiError, whatever its body (HTML from a proxy included). */
export async function toApiError(res: Response): Promise<ApiError> {
  const retryAfter = parseRetryAfter(res.headers.get("Retry-After"));
  const headerId = res.headers.get("X-Request-Id");
  let body: unknown;
  try {
    body = await res.json();
  } catch {
    body = undefined;
  }
  const e = isRecord(body) && isRecord(body.error) ? body.error : null;
  if (e && typeof e.code === "string" && typeof e.message === "string") {
    const requestId = typeof e.requestId === "string" ? e.requestId : headerId;
    return new ApiError(res.status, e.code, e.message, requestId, retryAfter, e.details);
  }
  return new ApiError(res.status, `HTTP_${res.status}`, `The server answered ${res.status} ${res.statusText}`.trim(), headerId, retryAfter);
}

const networkError = () => new ApiError(0, "NETWORK", "Lumiku cannot be reached; check your connection and try again", null, null);

let accessToken: string | null = null;
let onSessionLost: () => void = () => {};

/** The session store learns here that the refresh cookie was refused: the user is signed out. */
export function setSessionLostHandler(handler: () => void): void {
  onSessionLost = handler;
}

export function setAccessToken(token: string | null): void {
  accessToken = token;
}

const base = apiUrl("/api");
/** The refresh cookie goes along to the API's origin, this page's or the one VITE_API_BASE names. */
const CREDENTIALS: RequestCredentials = "include";

/** Without bearer or retry: register, login and refresh, whose 401s mean what they say. */
const bare = hc<AppType>(base, { init: { credentials: CREDENTIALS } });

type RefreshOutcome = "ok" | "rejected" | "unreachable";
let refreshing: Promise<RefreshOutcome> | null = null;

/**
 * The server sets this readable, secret-free cookie beside the HttpOnly refresh cookie and clears
 * them together: without it there is no refresh cookie, and asking would only earn a 401. A studio
 * on another origin cannot read the API's cookies, so there it always asks.
 */
const mayHaveSession = () => API_ORIGIN !== location.origin || document.cookie.split(";").some((pair) => pair.trim().startsWith("lumiku_session="));

async function rotate(): Promise<RefreshOutcome> {
  if (!mayHaveSession()) {
    accessToken = null;
    return "rejected";
  }
  let res: Awaited<ReturnType<typeof bare.auth.refresh.$post>>;
  try {
    res = await bare.auth.refresh.$post();
    if (res.ok) {
      accessToken = (await res.json()).accessToken;
      return "ok";
    }
  } catch {
    return "unreachable";
  }
  // A 5xx or 429 is not a verdict on the session: keep the user signed in and let them retry.
  const status: number = res.status;
  if (status === 401 || status === 403) {
    accessToken = null;
    return "rejected";
  }
  return "unreachable";
}

/**
 * Rotates the refresh cookie for a new access token. Concurrent callers share one request; tabs
 * take turns through a Web Lock, since the server treats two uses of one refresh token as theft.
 */
export function refreshAccessToken(): Promise<RefreshOutcome> {
  const run = (): Promise<RefreshOutcome> => (navigator.locks ? navigator.locks.request("lumiku-refresh", rotate).then((outcome) => outcome) : rotate());
  refreshing ??= run().finally(() => {
    refreshing = null;
  });
  return refreshing;
}

function withBearer(init: RequestInit | undefined, token: string | null): RequestInit {
  const headers = new Headers(init?.headers);
  if (token) headers.set("Authorization", `Bearer ${token}`);
  return { ...init, headers, credentials: CREDENTIALS };
}

/** fetch with the bearer token; a 401 refreshes once (shared) and replays the request once. */
async function authedFetch(input: RequestInfo | URL, init?: RequestInit): Promise<Response> {
  const sent = accessToken;
  const res = await fetch(input, withBearer(init, sent));
  if (res.status !== 401) return res;
  // Someone else may have refreshed while this request was out; then only replay it.
  if (accessToken === sent || accessToken === null) {
    const outcome = await refreshAccessToken();
    if (outcome === "rejected") {
      onSessionLost();
      return res;
    }
    if (outcome === "unreachable") return res;
  }
  return fetch(input, withBearer(init, accessToken));
}

export type Api = ReturnType<typeof hc<AppType>>;

export const api: Api = hc<AppType>(base, { fetch: authedFetch });
export const publicApi = bare;

type AnyResponse = ClientResponse<unknown, number, string>;

/** The body of a call's successful responses: parsed JSON, or undefined for 204 and other bodies. */
export type Ok<R> = R extends ClientResponse<infer T, infer S, infer F> ? (S extends SuccessStatusCode ? (F extends "json" ? T : undefined) : never) : never;

/** The success body type of an endpoint function, e.g. `Data<Api["credits"]["balance"]["$get"]>`. */
export type Data<F extends (...args: never[]) => Promise<AnyResponse>> = Ok<Awaited<ReturnType<F>>>;

/** Awaits a client call: its typed success body, or a thrown ApiError (status 0 when unreachable). */
export async function call<R extends AnyResponse>(request: Promise<R>): Promise<Ok<R>> {
  let res: R;
  try {
    res = await request;
  } catch (e) {
    if (e instanceof ApiError) throw e;
    throw networkError();
  }
  if (!res.ok) throw await toApiError(res as unknown as Response);
  if (res.status === 204 || !(res.headers.get("Content-Type") ?? "").includes("json")) return undefined as Ok<R>;
  return withApiOrigin((await res.json()) as Ok<R>);
}
