/** Access tokens (jose, HS256 pinned, key chosen by kid) and opaque refresh tokens. */
import { SignJWT, errors, jwtVerify, type JWTHeaderParameters } from "jose";
import type { Config } from "../config/config";
import { hmac, isValidHmac, purposeKey } from "../core/hmac";
import { fromBase64Url, toBase64Url } from "../core/encoding";

const ALG = "HS256";
const encoder = new TextEncoder();

export interface AccessClaims {
  userId: string;
  sessionId: string;
}

export async function signAccessToken(config: Config, claims: AccessClaims): Promise<string> {
  const key = config.JWT_KEYS[0]!;
  return (
    new SignJWT({ sid: claims.sessionId })
      .setProtectedHeader({ alg: ALG, kid: key.kid, typ: "JWT" })
      .setSubject(claims.userId)
      .setIssuer(config.JWT_ISSUER)
      .setAudience(config.JWT_AUDIENCE)
      .setIssuedAt()
      // Unique per issue: a token refreshed within the same second is still a new token.
      .setJti(crypto.randomUUID())
      .setExpirationTime(`${config.ACCESS_TOKEN_TTL_SECONDS}s`)
      .sign(encoder.encode(key.secret))
  );
}

/** Returns the claims, or null for any token that is not one of ours and current. */
export async function verifyAccessToken(config: Config, token: string): Promise<AccessClaims | null> {
  try {
    const { payload } = await jwtVerify(
      token,
      (header: JWTHeaderParameters) => {
        const key = config.JWT_KEYS.find((k) => k.kid === header.kid);
        if (!key) throw new errors.JWKSNoMatchingKey();
        return encoder.encode(key.secret);
      },
      {
        algorithms: [ALG],
        issuer: config.JWT_ISSUER,
        audience: config.JWT_AUDIENCE,
        requiredClaims: ["exp", "iat", "sub", "sid"],
        typ: "JWT",
      },
    );
    if (typeof payload.sub !== "string" || typeof payload.sid !== "string") return null;
    return { userId: payload.sub, sessionId: payload.sid };
  } catch {
    return null;
  }
}

const REFRESH_PURPOSE = "lumiku refresh token v2";
const SUCCESSOR_PURPOSE = "lumiku refresh successor v1";
const REFRESH = /^([\w-]{1,64})\.([\w-]{43})\.([\w-]{43})$/;

/** `<userId>.<secret>.<mac>`: the user names the Account object holding the session; the MAC (first JWT key) proves we issued it. */
async function bound(config: Config, userId: string, secret: string): Promise<string> {
  const mac = await hmac(await purposeKey(config.JWT_KEYS[0]!.secret, REFRESH_PURPOSE), `${userId}.${secret}`);
  return `${userId}.${secret}.${toBase64Url(mac)}`;
}

/** 256 random bits for the user; only the token's SHA-256 is stored. */
export function newRefreshToken(config: Config, userId: string): Promise<string> {
  return bound(config, userId, toBase64Url(crypto.getRandomValues(new Uint8Array(32))));
}

/**
 * The user a refresh token was issued to, when its MAC checks under any configured key
 * (rotation); null otherwise, so a forged cookie never reaches an Account object.
 */
export async function refreshTokenUser(config: Config, presented: string): Promise<string | null> {
  const m = REFRESH.exec(presented);
  const mac = m ? fromBase64Url(m[3]!) : null;
  if (!m || !mac) return null;
  for (const { secret } of config.JWT_KEYS) {
    if (await isValidHmac(await purposeKey(secret, REFRESH_PURPOSE), mac, `${m[1]}.${m[2]}`)) return m[1]!;
  }
  return null;
}

/**
 * The token that replaces `presented` (already checked by refreshTokenUser) at rotation: its
 * secret is HMAC-SHA256 of it under a key derived from the first JWT key. Every caller who
 * presents the same token gets the same successor (a retry after a lost response, a
 * concurrent refresh), and without the key nobody can compute it, so it is as unguessable
 * as a fresh random token.
 */
export async function successorRefreshToken(config: Config, userId: string, presented: string): Promise<string> {
  return bound(config, userId, toBase64Url(await hmac(await purposeKey(config.JWT_KEYS[0]!.secret, SUCCESSOR_PURPOSE), presented)));
}

export async function sha256(value: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", encoder.encode(value));
  return toBase64Url(new Uint8Array(digest));
}
