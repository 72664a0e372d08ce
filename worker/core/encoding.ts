/** base64url without padding (RFC 4648 §5): refresh tokens, token digests and signed file URLs. */

export const toBase64Url = (bytes: Uint8Array) =>
  btoa(String.fromCharCode(...bytes))
    .replace(/\+/g, "-")
    .replace(/\//g, "_")
    .replace(/=+$/, "");

/** The bytes of a base64url text of at most `maxLength` characters, or null when it is not one. */
export function fromBase64Url(text: string, maxLength = 100): Uint8Array<ArrayBuffer> | null {
  // Base64 never leaves a single character over: such a length cannot be decoded.
  if (text.length === 0 || text.length > maxLength || !/^[\w-]+$/.test(text) || text.length % 4 === 1) return null;
  const binary = atob(text.replace(/-/g, "+").replace(/_/g, "/"));
  return Uint8Array.from(binary, (ch) => ch.charCodeAt(0));
}
