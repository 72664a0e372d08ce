/** Forges access tokens the way an attacker (or a second signer) would, with the test keys. */
import { env } from "cloudflare:test";
import { SignJWT, decodeJwt, type JWTPayload } from "jose";

const encoder = new TextEncoder();

/** The configured `kid:secret` pairs from vitest.config.ts; the first one signs. */
export const testKeys = env.JWT_KEYS.split(",").map((part) => {
  const colon = part.indexOf(":");
  return { kid: part.slice(0, colon), secret: part.slice(colon + 1) };
});

export interface Forge {
  sub?: string;
  sid?: string;
  iss?: string;
  aud?: string;
  /** Seconds since the epoch. */
  exp?: number;
  nbf?: number;
  kid?: string;
  secret?: string;
  alg?: string;
  /** Claims to leave out of an otherwise valid token. */
  omit?: Array<"sid" | "exp" | "sub" | "kid">;
}

/** A token exactly like the server's own unless told otherwise. */
export async function forgeToken(f: Forge & { sub: string; sid: string }): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  const key = testKeys[0]!;
  const omit = new Set(f.omit ?? []);
  const payload: JWTPayload = { iss: f.iss ?? env.JWT_ISSUER, aud: f.aud ?? env.JWT_AUDIENCE, iat: now - 5 };
  if (!omit.has("sub")) payload.sub = f.sub;
  if (!omit.has("sid")) payload.sid = f.sid;
  if (!omit.has("exp")) payload.exp = f.exp ?? now + 300;
  if (f.nbf !== undefined) payload.nbf = f.nbf;
  const header = { alg: f.alg ?? "HS256", typ: "JWT", ...(omit.has("kid") ? {} : { kid: f.kid ?? key.kid }) };
  return new SignJWT(payload).setProtectedHeader(header).sign(encoder.encode(f.secret ?? key.secret));
}

/** `header.payload.` with `alg: none`: what a downgrade attack sends. */
export function unsignedToken(payload: JWTPayload, withTrailingDot = true): string {
  const part = (o: object) => btoa(JSON.stringify(o)).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  return `${part({ alg: "none", typ: "JWT" })}.${part(payload)}${withTrailingDot ? "." : ""}`;
}

/** Who and which session a real access token speaks for. */
export function claimsOf(token: string): { sub: string; sid: string } {
  const { sub, sid } = decodeJwt(token);
  return { sub: sub!, sid: sid as string };
}
