/** Shared test helpers: talk to the Worker the way a client does. */
import { env, SELF } from "cloudflare:test";
import { expect } from "vitest";
import { loadConfig, type Config } from "../../worker/config/config";

export const BASE = "https://lumiku.test";
export const PASSWORD = "correct horse battery staple";

export interface Client {
  userId: string;
  email: string;
  token: string;
  cookie: string;
}

/** The suite's configuration, as the Worker parses it. */
export function testConfig(): Config {
  const result = loadConfig(env);
  if (!result.ok) throw new Error(result.problems.join("; "));
  return result.config;
}

let counter = 0;
export const uniqueEmail = (prefix = "user") => `${prefix}-${Date.now().toString(36)}-${(counter++).toString(36)}@example.com`;

export type ClientInit = RequestInit & { token?: string; json?: unknown };

/** A request as a client sends it: the bearer token, and `json` as an application/json body. */
export function clientRequest(path: string, init: ClientInit = {}): Request {
  const headers = new Headers(init.headers);
  if (init.token) headers.set("Authorization", `Bearer ${init.token}`);
  let body = init.body;
  if (init.json !== undefined) {
    headers.set("Content-Type", "application/json");
    body = JSON.stringify(init.json);
  }
  return new Request(`${BASE}${path}`, { ...init, headers, body });
}

export function api(path: string, init: ClientInit = {}): Promise<Response> {
  return SELF.fetch(clientRequest(path, init));
}

/** The refresh cookie's `name=value` from a Set-Cookie header. */
export function refreshCookie(res: Response): string {
  const raw = res.headers.getSetCookie().find((c) => c.startsWith("lumiku_refresh="));
  if (!raw) throw new Error("no refresh cookie set");
  return raw.split(";")[0]!;
}

export async function register(email = uniqueEmail(), name = "Test User"): Promise<Client> {
  const res = await api("/api/auth/register", { method: "POST", json: { email, password: PASSWORD, name } });
  if (res.status !== 201) throw new Error(`register failed: ${res.status} ${await res.text()}`);
  const body = await res.json<{ user: { id: string }; accessToken: string }>();
  return { userId: body.user.id, email, token: body.accessToken, cookie: refreshCookie(res) };
}

export async function errorOf(res: Response): Promise<{ code: string; message: string; requestId: string; details?: unknown }> {
  const body = await res.json<{ error: { code: string; message: string; requestId: string; details?: unknown } }>();
  return body.error;
}

const STACK = /\bat .+\(|\.ts:\d+|\.js:\d+|node_modules|TypeError|RangeError|D1_ERROR/;

/** The contract's error shape, tied to the response's X-Request-Id, with no internals in it. */
export async function expectErrorShape(res: Response, code?: string) {
  const text = await res.text();
  expect(text).not.toMatch(STACK);
  const body = JSON.parse(text) as { error: { code: string; message: string; requestId: string } };
  expect(Object.keys(body)).toEqual(["error"]);
  if (code !== undefined) expect(body.error.code).toBe(code);
  expect(body.error.message).toEqual(expect.any(String));
  expect(body.error.requestId).toBe(res.headers.get("X-Request-Id"));
  expect(res.headers.get("Content-Type")).toMatch(/^application\/json/);
}
