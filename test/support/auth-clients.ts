/** Auth steps a client takes, beyond test/helpers.ts: signing in again, refreshing, probing a token. */
import { api, PASSWORD, refreshCookie, type Client } from "./client";

/** Another login of an existing user: a new session with its own tokens. */
export async function login(email: string, password = PASSWORD): Promise<Client> {
  const res = await api("/api/auth/login", { method: "POST", json: { email, password } });
  if (res.status !== 200) throw new Error(`login failed: ${res.status} ${await res.text()}`);
  const body = await res.json<{ user: { id: string }; accessToken: string }>();
  return { userId: body.user.id, email, token: body.accessToken, cookie: refreshCookie(res) };
}

export const refresh = (cookie: string) => api("/api/auth/refresh", { method: "POST", headers: { Cookie: cookie } });

/** The status /api/auth/me answers for this access token: 200 while its session lives, else 401. */
export async function meStatus(token: string): Promise<number> {
  const res = await api("/api/auth/me", { token });
  await res.body?.cancel();
  return res.status;
}

export async function balanceOf(token: string): Promise<{ balance: number; held: number; available: number }> {
  const res = await api("/api/credits/balance", { token });
  if (res.status !== 200) throw new Error(`balance failed: ${res.status} ${await res.text()}`);
  return res.json();
}

/** The Set-Cookie line of the named cookie, attributes included. */
export const setCookieLine = (res: Response, name: string) => res.headers.getSetCookie().find((c) => c.startsWith(`${name}=`)) ?? null;

/** The Set-Cookie line of the refresh cookie, attributes included. */
export const refreshSetCookie = (res: Response) => setCookieLine(res, "lumiku_refresh");
