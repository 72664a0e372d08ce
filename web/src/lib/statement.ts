/** The credits page's Verify button: fetches the signed statement and the public keys, and checks both here in the browser. */
import type { JSONWebKeySet } from "jose";
import { type StatementCheck, verifyStatement } from "../../../worker/credits/verify";
import { api, call } from "./api";

export async function checkMyStatement(): Promise<StatementCheck> {
  const [{ statement }, jwks] = await Promise.all([call(api.credits.statement.$get({ query: {} })), fetch("/.well-known/jwks.json").then((r) => r.json() as Promise<JSONWebKeySet>)]);
  return verifyStatement(statement, jwks);
}
