/**
 * Single-use WebSocket tickets (~30 s), kept in the Account object's storage so they
 * survive eviction. Only a hash is stored; consuming deletes, so a ticket works once.
 */
const TICKET_TTL_MS = 30_000;

const SCHEMA = `CREATE TABLE IF NOT EXISTS tickets (hash TEXT PRIMARY KEY, expires_at INTEGER NOT NULL)`;

async function sha256(value: string): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(value)));
  return Array.from(digest, (b) => b.toString(16).padStart(2, "0")).join("");
}

export class Tickets {
  constructor(private readonly sql: SqlStorage) {}

  migrate(): void {
    this.sql.exec(SCHEMA);
  }

  async issue(now = Date.now()): Promise<{ secret: string; expiresAt: number }> {
    const secret = Array.from(crypto.getRandomValues(new Uint8Array(24)), (b) => b.toString(16).padStart(2, "0")).join("");
    const expiresAt = now + TICKET_TTL_MS;
    this.sql.exec("DELETE FROM tickets WHERE expires_at < ?", now);
    this.sql.exec("INSERT INTO tickets (hash, expires_at) VALUES (?, ?)", await sha256(secret), expiresAt);
    return { secret, expiresAt };
  }

  /** True once for a live ticket; false for unknown, reused or expired ones. */
  async consume(secret: string, now = Date.now()): Promise<boolean> {
    const hash = await sha256(secret);
    const row = this.sql.exec<{ expires_at: number }>("DELETE FROM tickets WHERE hash = ? RETURNING expires_at", hash).toArray()[0];
    return row !== undefined && row.expires_at >= now;
  }
}
