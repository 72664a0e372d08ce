// Our stack as a client sees it: a hot user, its balance, a charge and the bare request. The
// Worker itself (the product plus /api/bench) runs under bench/lib/runtimes.mjs.
import { randomBytes, randomUUID } from "node:crypto";

export const SIGNUP_CREDITS = 100;

/** Registers a fresh user and tops the balance up to exactly `balance`; returns its token. */
export async function hotUser(client, balance) {
  const email = `bench-${randomUUID()}@bench.local`;
  const reg = await client.request("POST", "/api/auth/register", { json: { email, password: randomBytes(18).toString("base64url"), name: "Bench" } });
  if (reg.status !== 201) throw new Error(`register: HTTP ${reg.status} ${JSON.stringify(reg.body)}`);
  const token = reg.body.accessToken;
  const topUp = balance - SIGNUP_CREDITS;
  if (topUp < 0) throw new Error(`a start balance below the ${SIGNUP_CREDITS} signup credits is not supported`);
  if (topUp > 0) {
    const grant = await client.request("POST", "/api/bench/grant", { token, json: { amount: topUp, key: `bench-topup-${randomUUID()}` } });
    if (grant.status !== 200) throw new Error(`grant: HTTP ${grant.status} ${JSON.stringify(grant.body)}`);
  }
  const start = await balanceOf(client, token);
  if (start.balance !== balance || start.held !== 0) throw new Error(`start balance is ${JSON.stringify(start)}, wanted ${balance}`);
  return token;
}

export async function balanceOf(client, token) {
  const res = await client.request("GET", "/api/credits/balance", { token });
  if (res.status !== 200) throw new Error(`balance: HTTP ${res.status} ${JSON.stringify(res.body)}`);
  return { balance: res.body.balance, held: res.body.held };
}

export const chargeRequest = (client, token) => () => client.request("POST", "/api/bench/charge", { token, json: { amount: 1 } });
export const healthRequest = (client) => () => client.request("GET", "/health");
