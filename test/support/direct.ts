/**
 * Calls the app in-process with another configuration (production, low limits, broken
 * bindings). Configuration is cached per Env object, so every `envWith` re-parses.
 */
import { createExecutionContext, env, waitOnExecutionContext } from "cloudflare:test";
import { testApp as app } from "./worker";
import { BASE } from "./client";

/** A new Env object: `env` with overrides; an `undefined` override removes the binding. */
export function envWith(overrides: Record<string, unknown>): Env {
  const next: Record<string, unknown> = { ...env, ...overrides };
  for (const [name, value] of Object.entries(overrides)) if (value === undefined) delete next[name];
  return next as unknown as Env;
}

/** A valid production configuration: the test keys are strong; the test-only scrypt cost is not allowed. */
export const productionEnv = (overrides: Record<string, unknown> = {}) => envWith({ ENVIRONMENT: "production", PASSWORD_SCRYPT_LOG_N: undefined, PAYMENT_GATEWAY: "duitku", ...overrides });

let ipCounter = 0;
/** A caller network (/64) of its own, so fixed-window counters never leak between tests. */
export const uniqueIp = () => `2001:db8:${Date.now().toString(16).slice(-4)}:${(++ipCounter).toString(16)}::1`;

export interface CallInit extends RequestInit {
  token?: string;
  json?: unknown;
  ip?: string;
}

export async function call(target: Env, path: string, init: CallInit = {}): Promise<Response> {
  const { token, json, ip, ...rest } = init;
  const headers = new Headers(rest.headers);
  if (token) headers.set("Authorization", `Bearer ${token}`);
  if (ip) headers.set("CF-Connecting-IP", ip);
  let body = rest.body;
  if (json !== undefined) {
    headers.set("Content-Type", "application/json");
    body = JSON.stringify(json);
  }
  const ctx = createExecutionContext();
  const res = await app.fetch(new Request(`${BASE}${path}`, { ...rest, headers, body }), target, ctx);
  await waitOnExecutionContext(ctx);
  return res;
}
