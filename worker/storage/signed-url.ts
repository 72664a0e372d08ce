/**
 * Short-lived signed URLs for R2 objects: HMAC-SHA256 over key and expiry. Verification
 * uses WebCrypto's verify, which compares in constant time.
 */
import { fromBase64Url, toBase64Url } from "../core/encoding";

const encoder = new TextEncoder();
const DEFAULT_TTL_SECONDS = 3600;

const keyCache = new Map<string, Promise<CryptoKey>>();
function hmacKey(secret: string): Promise<CryptoKey> {
  let key = keyCache.get(secret);
  if (!key) {
    key = crypto.subtle.importKey("raw", encoder.encode(secret), { name: "HMAC", hash: "SHA-256" }, false, ["sign", "verify"]);
    keyCache.set(secret, key);
  }
  return key;
}

const payload = (key: string, exp: number) => encoder.encode(`${key}\n${exp}`);

/**
 * `exp=…&sig=…` for any signed name (an R2 key, or another capability such as a ZIP);
 * verified by verifyFileSignature. Expiry is rounded up to the next minute so URLs for one
 * object stay cacheable for a while.
 */
export async function signQuery(secret: string, name: string, ttlSeconds = DEFAULT_TTL_SECONDS, now = Date.now()): Promise<string> {
  const exp = Math.ceil((now / 1000 + ttlSeconds) / 60) * 60;
  const sig = toBase64Url(new Uint8Array(await crypto.subtle.sign("HMAC", await hmacKey(secret), payload(name, exp))));
  return `exp=${exp}&sig=${sig}`;
}

export async function signFileUrl(secret: string, key: string, ttlSeconds = DEFAULT_TTL_SECONDS, now = Date.now()): Promise<string> {
  return `/api/files/${key.split("/").map(encodeURIComponent).join("/")}?${await signQuery(secret, key, ttlSeconds, now)}`;
}

export type SignatureCheck = "ok" | "expired" | "invalid";

export async function verifyFileSignature(secret: string, key: string, exp: number, sig: string, now = Date.now()): Promise<SignatureCheck> {
  const bytes = fromBase64Url(sig);
  if (!bytes) return "invalid";
  const valid = await crypto.subtle.verify("HMAC", await hmacKey(secret), bytes, payload(key, exp));
  if (!valid) return "invalid";
  return exp * 1000 < now ? "expired" : "ok";
}
