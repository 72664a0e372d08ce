/** Duitku's signatures (md5 and sha256 over concatenated fields) and a constant-time check of them. */
import { toHex } from "../core/digest";

const encoder = new TextEncoder();

async function digestHex(algorithm: "MD5" | "SHA-256", text: string): Promise<string> {
  return toHex(new Uint8Array(await crypto.subtle.digest(algorithm, encoder.encode(text))));
}

/** The callback's `signature`: md5(merchantCode + amount + merchantOrderId + apiKey). */
export const callbackSignature = (merchantCode: string, amount: string, merchantOrderId: string, apiKey: string) => digestHex("MD5", merchantCode + amount + merchantOrderId + apiKey);

/** transactionStatus's `signature`: md5(merchantCode + merchantOrderId + apiKey). */
export const statusSignature = (merchantCode: string, merchantOrderId: string, apiKey: string) => digestHex("MD5", merchantCode + merchantOrderId + apiKey);

/** POP's `x-duitku-signature` header: sha256(merchantCode + timestamp + apiKey). */
export const popSignature = (merchantCode: string, timestamp: string, apiKey: string) => digestHex("SHA-256", merchantCode + timestamp + apiKey);

/** Compares two hex strings in time that depends only on their length (case-insensitive, as Duitku's are). */
export function sameHex(expected: string, given: string): boolean {
  const a = encoder.encode(expected.toLowerCase());
  const b = encoder.encode(given.toLowerCase());
  if (a.byteLength !== b.byteLength) return false;
  // Every byte is looked at whatever the earlier ones said.
  let difference = 0;
  for (let i = 0; i < a.byteLength; i++) difference |= a[i]! ^ b[i]!;
  return difference === 0;
}
