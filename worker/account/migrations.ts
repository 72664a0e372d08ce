/**
 * The Account object's SQLite schema, as numbered migrations run in order when the object
 * starts. A change to the schema is a new entry at the end, never an edit of an old one:
 * objects created at any earlier version must open with their rows intact.
 */
import { entryHash, GENESIS } from "../core/chain";
import { type EntryRow, toEntry } from "./rows";

export interface AccountMigration {
  version: number;
  name: string;
  sql: string;
  /** Data work after `sql`, in the same transaction (e.g. filling a new column). */
  backfill?: (sql: SqlStorage) => void;
}

/**
 * Version 1 is the schema objects had before it was versioned; `IF NOT EXISTS` lets those
 * objects adopt it as they are.
 */
export const ACCOUNT_MIGRATIONS: readonly AccountMigration[] = [
  {
    version: 1,
    name: "ledger",
    sql: `CREATE TABLE IF NOT EXISTS account (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  user_id TEXT,
  balance INTEGER NOT NULL DEFAULT 0 CHECK (balance >= 0),
  version INTEGER NOT NULL DEFAULT 0,
  projected_version INTEGER NOT NULL DEFAULT 0,
  bucket_tokens REAL,
  bucket_at INTEGER,
  quota_limit INTEGER,
  quota_expires_at INTEGER
);
INSERT OR IGNORE INTO account (id) VALUES (1);
CREATE TABLE IF NOT EXISTS entries (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  id TEXT NOT NULL UNIQUE,
  kind TEXT NOT NULL,
  amount INTEGER NOT NULL,
  balance_after INTEGER NOT NULL CHECK (balance_after >= 0),
  reference TEXT,
  description TEXT NOT NULL,
  idempotency_key TEXT NOT NULL,
  created_at INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS entries_reference ON entries (reference, kind);
CREATE TABLE IF NOT EXISTS holds (
  id TEXT PRIMARY KEY,
  amount INTEGER NOT NULL CHECK (amount >= 0),
  items INTEGER NOT NULL,
  unit_cost INTEGER NOT NULL,
  free_items INTEGER NOT NULL,
  quota_day TEXT,
  reference TEXT NOT NULL,
  status TEXT NOT NULL,
  completed_items INTEGER,
  captured INTEGER NOT NULL DEFAULT 0,
  released INTEGER NOT NULL DEFAULT 0,
  expires_at INTEGER NOT NULL,
  created_at INTEGER NOT NULL,
  resolved_at INTEGER,
  CHECK (captured + released <= amount)
);
CREATE INDEX IF NOT EXISTS holds_open ON holds (status, expires_at);
CREATE TABLE IF NOT EXISTS idempotency (
  key TEXT PRIMARY KEY,
  fingerprint TEXT NOT NULL,
  result TEXT NOT NULL,
  created_at INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS idempotency_age ON idempotency (created_at);
CREATE TABLE IF NOT EXISTS quota_usage (
  day TEXT PRIMARY KEY,
  used INTEGER NOT NULL CHECK (used >= 0)
);`,
  },
  {
    version: 2,
    name: "realtime tickets",
    sql: "CREATE TABLE IF NOT EXISTS tickets (hash TEXT PRIMARY KEY, expires_at INTEGER NOT NULL)",
  },
  {
    version: 3,
    name: "entry hash chain",
    sql: "ALTER TABLE entries ADD COLUMN hash TEXT",
    backfill: chainExistingEntries,
  },
  {
    version: 4,
    name: "paid plan",
    sql: `CREATE TABLE IF NOT EXISTS plan (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  plan_id TEXT NOT NULL,
  name TEXT NOT NULL,
  tier TEXT NOT NULL,
  daily_pose_quota INTEGER,
  unlimited INTEGER NOT NULL,
  starts_at INTEGER NOT NULL,
  ends_at INTEGER NOT NULL
)`,
  },
  {
    version: 5,
    name: "sessions",
    sql: `CREATE TABLE IF NOT EXISTS sessions (
  id TEXT PRIMARY KEY,
  created_at INTEGER NOT NULL,
  last_used_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  revoked_at INTEGER,
  revoked_reason TEXT,
  user_agent TEXT
);
CREATE INDEX IF NOT EXISTS sessions_newest ON sessions (created_at, id);
CREATE TABLE IF NOT EXISTS refresh_tokens (
  hash TEXT PRIMARY KEY,
  session_id TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  replaced_at INTEGER,
  replaced_by TEXT
);
CREATE INDEX IF NOT EXISTS refresh_tokens_session ON refresh_tokens (session_id);
CREATE TABLE IF NOT EXISTS session_user (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  user TEXT NOT NULL
)`,
  },
];

/** Hashes the entries an object already has, oldest first, into one chain. */
function chainExistingEntries(sql: SqlStorage): void {
  let previous = GENESIS;
  for (const row of sql.exec<EntryRow>("SELECT * FROM entries ORDER BY seq").toArray()) {
    previous = entryHash(previous, toEntry(row));
    sql.exec("UPDATE entries SET hash = ? WHERE seq = ?", previous, row.seq);
  }
}

const VERSIONS = "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)";

/** The version this object's storage is at (0: new, or from before versioning). */
export function schemaVersion(sql: SqlStorage): number {
  sql.exec(VERSIONS);
  return sql.exec<{ version: number | null }>("SELECT MAX(version) AS version FROM schema_migrations").one().version ?? 0;
}

/**
 * Applies every migration newer than the storage, each in its own transaction with its
 * version row, so a crash leaves the object at the last complete version. Returns the
 * versions applied.
 */
export function migrate(storage: DurableObjectStorage, migrations: readonly AccountMigration[] = ACCOUNT_MIGRATIONS, now = Date.now()): number[] {
  const current = schemaVersion(storage.sql);
  const pending = migrations.filter((m) => m.version > current).sort((a, b) => a.version - b.version);
  for (const m of pending) {
    storage.transactionSync(() => {
      storage.sql.exec(m.sql);
      m.backfill?.(storage.sql);
      storage.sql.exec("INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)", m.version, m.name, now);
    });
  }
  return pending.map((m) => m.version);
}
