/**
 * Single-use WebSocket tickets (~30 s), kept in the Account object's storage so they
 * survive eviction. Only a hash is stored; consuming deletes, so a ticket works once.
 */
import { sha256, toHex } from "../lib/digest";

const TICKET_TTL_MS = 30_000;

const SCHEMA = `CREATE TABLE IF NOT EXISTS tickets (hash TEXT PRIMARY KEY, expires_at INTEGER NOT NULL)`;

const hashOf = async (secret: string) => toHex(await sha256(secret));

export class Tickets {
  constructor(private readonly sql: SqlStorage) {}

  migrate(): void {
    this.sql.exec(SCHEMA);
  }

  async issue(now = Date.now()): Promise<{ secret: string; expiresAt: number }> {
    const secret = toHex(crypto.getRandomValues(new Uint8Array(24)));
    const expiresAt = now + TICKET_TTL_MS;
    this.sql.exec("DELETE FROM tickets WHERE expires_at < ?", now);
    this.sql.exec("INSERT INTO tickets (hash, expires_at) VALUES (?, ?)", await hashOf(secret), expiresAt);
    return { secret, expiresAt };
  }

  /** True once for a live ticket; false for unknown, reused or expired ones. */
  async consume(secret: string, now = Date.now()): Promise<boolean> {
    const hash = await hashOf(secret);
    const row = this.sql.exec<{ expires_at: number }>("DELETE FROM tickets WHERE hash = ? RETURNING expires_at", hash).toArray()[0];
    return row !== undefined && row.expires_at >= now;
  }
}
