/**
 * Signed ledger statements: a compact JWS (EdDSA over Ed25519) of a user's entries and the
 * hash chain around them, which anyone can check offline against /.well-known/jwks.json
 * (`npm run verify-statement FILE`).
 */
import { CompactSign, type JWK, importJWK } from "jose";
import type { Config } from "../config/config";
import type { ChainedEntry } from "../core/chain";
import { ApiError } from "../core/errors";

export interface StatementPayload {
  /** The issuer (JWT_ISSUER) and the user the statement is of. */
  iss: string;
  sub: string;
  /** Seconds since the epoch, as in JWTs. */
  iat: number;
  /** The period covered, [from, to), as ISO times. */
  from: string;
  to: string;
  /** The hash before the first entry listed (the chain's genesis for a full statement). */
  previous: string;
  entries: ChainedEntry[];
  /** The hash after the last entry listed (the chain's head for a statement up to now). */
  head: string;
}

const keyCache = new Map<string, Promise<CryptoKey | Uint8Array>>();

function signingKey(config: Config): { kid: string; key: Promise<CryptoKey | Uint8Array> } {
  const jwk = config.STATEMENT_KEYS[0];
  if (!jwk) throw new ApiError("SERVICE_UNAVAILABLE", "Signed statements are not configured on this server (STATEMENT_KEYS)");
  let key = keyCache.get(jwk.d);
  if (!key) {
    key = importJWK({ ...jwk, alg: "EdDSA" } as JWK, "EdDSA");
    keyCache.set(jwk.d, key);
  }
  return { kid: jwk.kid, key };
}

export async function signStatement(config: Config, payload: StatementPayload): Promise<string> {
  const { kid, key } = signingKey(config);
  return new CompactSign(new TextEncoder().encode(JSON.stringify(payload))).setProtectedHeader({ alg: "EdDSA", kid, typ: "lumiku-statement+jws" }).sign(await key);
}

/** The public halves of every configured statement key. */
export function statementJwks(config: Config): { keys: Array<{ kty: "OKP"; crv: "Ed25519"; kid: string; x: string; alg: "EdDSA"; use: "sig" }> } {
  return { keys: config.STATEMENT_KEYS.map(({ kty, crv, kid, x }) => ({ kty, crv, kid, x, alg: "EdDSA", use: "sig" })) };
}
