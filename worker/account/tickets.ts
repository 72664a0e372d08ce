/**
 * Single-use WebSocket tickets (~30 s). The Worker signs `<userId>.<expiresAt>.<nonce>` with a
 * key derived from the JWT keys, so a forged, altered or expired ticket is refused before any
 * Account object is touched; the nonce is issued and consumed by the user's object (only its
 * hash is stored, and consuming deletes it), so a ticket works once and survives eviction.
 */
import type { Config } from "../config/config";
import { fromHex, sha256, toHex } from "../core/digest";
import { hmac, isValidHmac, purposeKey } from "../core/hmac";

const TICKET_TTL_MS = 30_000;
const PURPOSE = "lumiku realtime ticket v1";
const TICKET = /^([\w-]{1,64})\.(\d{1,15})\.([0-9a-f]{32})\.([0-9a-f]{64})$/;

const hashOf = async (nonce: string) => toHex(await sha256(nonce));

export interface TicketClaims {
  userId: string;
  nonce: string;
  expiresAt: number;
}

type Keys = Config["JWT_KEYS"];

const signed = (c: TicketClaims) => `${c.userId}.${c.expiresAt}.${c.nonce}`;

/** The first key signs, like access tokens. */
export async function signTicket(keys: Keys, claims: TicketClaims): Promise<string> {
  const mac = await hmac(await purposeKey(keys[0]!.secret, PURPOSE), signed(claims));
  return `${signed(claims)}.${toHex(mac)}`;
}

/** The claims of a ticket signed by any configured key (rotation) and not expired; null otherwise. */
export async function readTicket(keys: Keys, ticket: string, now = Date.now()): Promise<TicketClaims | null> {
  const m = TICKET.exec(ticket);
  if (!m) return null;
  const claims = { userId: m[1]!, expiresAt: Number(m[2]), nonce: m[3]! };
  if (claims.expiresAt < now) return null;
  const mac = fromHex(m[4]!);
  for (const { secret } of keys) {
    if (await isValidHmac(await purposeKey(secret, PURPOSE), mac, signed(claims))) return claims;
  }
  return null;
}

export class Tickets {
  constructor(private readonly sql: SqlStorage) {}

  async issue(now = Date.now()): Promise<{ nonce: string; expiresAt: number }> {
    const nonce = toHex(crypto.getRandomValues(new Uint8Array(16)));
    const expiresAt = now + TICKET_TTL_MS;
    this.sql.exec("DELETE FROM tickets WHERE expires_at < ?", now);
    this.sql.exec("INSERT INTO tickets (hash, expires_at) VALUES (?, ?)", await hashOf(nonce), expiresAt);
    return { nonce, expiresAt };
  }

  /** True once for a live nonce this object issued; false for unknown, reused or expired ones. */
  async consume(nonce: string, now = Date.now()): Promise<boolean> {
    const hash = await hashOf(nonce);
    const row = this.sql.exec<{ expires_at: number }>("DELETE FROM tickets WHERE hash = ? RETURNING expires_at", hash).toArray()[0];
    return row !== undefined && row.expires_at >= now;
  }
}
