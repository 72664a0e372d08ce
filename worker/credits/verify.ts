/**
 * Checks a signed ledger statement: the EdDSA signature against a JWKS, then the hash chain
 * recomputed entry by entry. Imports only jose and core/chain.ts, so `npm run verify-statement`
 * and the credits page's Verify button run this same code.
 */
import { compactVerify, createLocalJWKSet, type JSONWebKeySet } from "jose";
// With its extension, so plain Node (scripts/verify-statement.ts) resolves it too.
import { type ChainedEntry, verifyChain } from "../core/chain.ts";

export interface VerifiedStatement {
  kid: string | undefined;
  sub: string;
  from: string;
  to: string;
  entries: ChainedEntry[];
  head: string;
}

export type StatementCheck = { ok: true; statement: VerifiedStatement } | { ok: false; stage: "signature" | "chain"; reason: string };

export async function verifyStatement(jws: string, jwks: JSONWebKeySet): Promise<StatementCheck> {
  let payload: Omit<VerifiedStatement, "kid"> & { previous: string };
  let kid: string | undefined;
  try {
    const verified = await compactVerify(jws, createLocalJWKSet(jwks), { algorithms: ["EdDSA"] });
    payload = JSON.parse(new TextDecoder().decode(verified.payload));
    kid = verified.protectedHeader.kid;
  } catch (e) {
    return { ok: false, stage: "signature", reason: `the signature does not verify: ${e instanceof Error ? e.message : String(e)}` };
  }
  if (!Array.isArray(payload.entries) || typeof payload.previous !== "string") return { ok: false, stage: "chain", reason: "the statement has no entries or chain" };
  const check = verifyChain(payload.previous, payload.entries, payload.head);
  if (!check.ok) return { ok: false, stage: "chain", reason: `the hash chain breaks at ${check.reason}` };
  return { ok: true, statement: { kid, sub: payload.sub, from: payload.from, to: payload.to, entries: payload.entries, head: check.head } };
}
