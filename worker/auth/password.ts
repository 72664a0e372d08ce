/**
 * Password hashing: scrypt at OWASP's N=2^14, r=8, p=5 (16 MiB, fits a 128 MB isolate),
 * stored as a self-describing PHC string so costs can rise and old hashes upgrade at login.
 * Only `node:crypto` is imported, so the seed script (plain Node) hashes the same way.
 */
import { randomBytes, scrypt, timingSafeEqual } from "node:crypto";
import type { Config } from "../config/config";

export interface ScryptParams {
  logN: number;
  r: number;
  p: number;
}

export const PRODUCTION_SCRYPT: ScryptParams = { logN: 14, r: 8, p: 5 };

/** The parameters new hashes get: production's, unless a test configuration lowers the cost. */
export const scryptParams = (config: Config): ScryptParams => (config.PASSWORD_SCRYPT_LOG_N === undefined ? PRODUCTION_SCRYPT : { ...PRODUCTION_SCRYPT, logN: config.PASSWORD_SCRYPT_LOG_N });
const KEY_LENGTH = 32;
/** Bounds for stored parameters: a tampered hash must fail, not throw or exhaust the 128 MB isolate. */
const MAX_SCRYPT_BYTES = 64 * 1024 * 1024;
const MAX_P = 16;
const isSane = ({ logN, r, p }: ScryptParams) => logN >= 1 && r >= 1 && p >= 1 && p <= MAX_P && 128 * 2 ** logN * r <= MAX_SCRYPT_BYTES;
const PHC = /^\$scrypt\$ln=(\d{1,2}),r=(\d{1,2}),p=(\d{1,2})\$([A-Za-z0-9+/]+)\$([A-Za-z0-9+/]+)$/;

const b64 = (b: Uint8Array) => Buffer.from(b).toString("base64").replace(/=+$/, "");

function derive(password: string, salt: Uint8Array, params: ScryptParams, length: number): Promise<Buffer> {
  const N = 2 ** params.logN;
  return new Promise((resolve, reject) =>
    scrypt(password.normalize("NFKC"), salt, length, { N, r: params.r, p: params.p, maxmem: 256 * N * params.r }, (err, key) => (err ? reject(err) : resolve(key))),
  );
}

export async function hashPassword(password: string, params: ScryptParams = PRODUCTION_SCRYPT): Promise<string> {
  const salt = randomBytes(16);
  const key = await derive(password, salt, params, KEY_LENGTH);
  return `$scrypt$ln=${params.logN},r=${params.r},p=${params.p}$${b64(salt)}$${b64(key)}`;
}

export interface VerifyResult {
  ok: boolean;
  /** The stored hash used weaker parameters than wanted: rehash it now that we know the password. */
  needsRehash: boolean;
}

export async function verifyPassword(password: string, stored: string, wanted: ScryptParams = PRODUCTION_SCRYPT): Promise<VerifyResult> {
  const m = PHC.exec(stored);
  if (!m) return { ok: false, needsRehash: false };
  const params = { logN: Number(m[1]), r: Number(m[2]), p: Number(m[3]) };
  const salt = Buffer.from(m[4]!, "base64");
  const expected = Buffer.from(m[5]!, "base64");
  // A truncated key would compare equal to an equally short derivation of any password.
  if (expected.length !== KEY_LENGTH || !isSane(params)) return { ok: false, needsRehash: false };
  const actual = await derive(password, salt, params, expected.length);
  const ok = actual.length === expected.length && timingSafeEqual(actual, expected);
  const weaker = params.logN < wanted.logN || params.r < wanted.r || params.p < wanted.p;
  return { ok, needsRehash: ok && weaker };
}
