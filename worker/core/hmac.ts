/**
 * HMAC-SHA256 keys for one purpose each, derived from a configured secret with HKDF, so the
 * same secret never signs two kinds of message alike (a ticket is never a valid JWT MAC).
 */
const encoder = new TextEncoder();
const cache = new Map<string, Promise<CryptoKey>>();

export function purposeKey(secret: string, purpose: string): Promise<CryptoKey> {
  const id = `${purpose}\n${secret}`;
  let key = cache.get(id);
  if (!key) {
    key = crypto.subtle
      .importKey("raw", encoder.encode(secret), "HKDF", false, ["deriveKey"])
      .then((base) =>
        crypto.subtle.deriveKey({ name: "HKDF", hash: "SHA-256", salt: new Uint8Array(), info: encoder.encode(purpose) }, base, { name: "HMAC", hash: "SHA-256", length: 256 }, false, [
          "sign",
          "verify",
        ]),
      );
    cache.set(id, key);
  }
  return key;
}

export async function hmac(key: CryptoKey, message: string): Promise<Uint8Array> {
  return new Uint8Array(await crypto.subtle.sign("HMAC", key, encoder.encode(message)));
}

/** Constant-time check of a MAC (WebCrypto's verify compares in constant time). */
export function isValidHmac(key: CryptoKey, mac: Uint8Array<ArrayBuffer>, message: string): Promise<boolean> {
  return crypto.subtle.verify("HMAC", key, mac, encoder.encode(message));
}
