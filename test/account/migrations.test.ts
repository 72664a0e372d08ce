/** The Account object's schema moves forward: old objects open at the newest version with their rows intact. */
import { runInDurableObject } from "cloudflare:test";
import { afterEach, describe, expect, it } from "vitest";
import { Account } from "../../worker/account/account";
import { verifyChain } from "../../worker/core/chain";
import { ACCOUNT_MIGRATIONS, migrate, schemaVersion, type AccountMigration } from "../../worker/account/migrations";
import { cancelAlarms, freshAccount } from "../support/account";

afterEach(() => cancelAlarms());

const LATEST = ACCOUNT_MIGRATIONS.at(-1)!.version;

const tables = (sql: SqlStorage) =>
  sql
    .exec<{ name: string }>("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '_cf_%' ORDER BY name")
    .toArray()
    .map((r) => r.name);

describe("Account schema migrations", () => {
  it("numbers its migrations 1, 2, … without gaps", () => {
    expect(ACCOUNT_MIGRATIONS.map((m) => m.version)).toEqual(ACCOUNT_MIGRATIONS.map((_, i) => i + 1));
  });

  it("opens a new object at the latest version", async () => {
    const account = freshAccount();
    await account.open(crypto.randomUUID(), 100);
    await runInDurableObject(account, (_instance, state) => {
      expect(schemaVersion(state.storage.sql)).toBe(LATEST);
      expect(tables(state.storage.sql)).toEqual(["account", "entries", "holds", "idempotency", "plan", "quota_usage", "refresh_tokens", "schema_migrations", "session_user", "sessions", "tickets"]);
    });
  });

  it("adopts an object created before its schema was versioned, keeping its balance and history", async () => {
    const account = freshAccount();
    const userId = crypto.randomUUID();
    await account.open(userId, 100);
    await account.credit({ idempotencyKey: "bonus", amount: 25, kind: "grant", reference: null, description: "Bonus" });
    const before = await account.history(10, null);
    await runInDurableObject(account, async (_instance, state) => {
      // What such an object holds: the tables of versions 1 and 2, no record of versions.
      state.storage.sql.exec("DROP TABLE schema_migrations");
      state.storage.sql.exec("ALTER TABLE entries DROP COLUMN hash");
      expect(schemaVersion(state.storage.sql)).toBe(0);
      // The next start of the object: its constructor migrates.
      const reopened = new Account(state as unknown as DurableObjectState, (_instance as unknown as { env: Env }).env);
      await state.blockConcurrencyWhile(async () => {});
      expect(schemaVersion(state.storage.sql)).toBe(LATEST);
      expect(await reopened.balance()).toMatchObject({ balance: 125, held: 0 });
      expect(await reopened.history(10, null)).toEqual(before);
      // Version 3 chained the entries it found, oldest first.
      const { previous, entries, head } = await reopened.statement(0, Date.now() + 1);
      expect(entries.map((e) => e.kind)).toEqual(["grant", "grant"]);
      expect(verifyChain(previous, entries, head)).toEqual({ ok: true, head });
    });
  });

  it("applies a later migration to an object at the previous version, and only once", async () => {
    const account = freshAccount();
    await account.open(crypto.randomUUID(), 100);
    const next: AccountMigration = { version: LATEST + 1, name: "entry notes", sql: "ALTER TABLE entries ADD COLUMN note TEXT NOT NULL DEFAULT ''" };
    await runInDurableObject(account, (_instance, state) => {
      expect(migrate(state.storage, [...ACCOUNT_MIGRATIONS, next])).toEqual([LATEST + 1]);
      expect(migrate(state.storage, [...ACCOUNT_MIGRATIONS, next])).toEqual([]);
      const rows = state.storage.sql.exec<{ kind: string; note: string }>("SELECT kind, note FROM entries").toArray();
      expect(rows).toEqual([{ kind: "grant", note: "" }]);
      expect(schemaVersion(state.storage.sql)).toBe(LATEST + 1);
    });
  });

  it("gives an object from before sessions (version 4) its session tables, its ledger intact, and sessions that work", async () => {
    const account = freshAccount();
    const userId = crypto.randomUUID();
    await account.open(userId, 100);
    await runInDurableObject(account, async (instance, state) => {
      state.storage.sql.exec("DROP TABLE sessions; DROP TABLE refresh_tokens; DROP TABLE session_user; DELETE FROM schema_migrations WHERE version >= 5");
      expect(schemaVersion(state.storage.sql)).toBe(4);
      const reopened = new Account(state as unknown as DurableObjectState, (instance as unknown as { env: Env }).env);
      await state.blockConcurrencyWhile(async () => {});
      expect(schemaVersion(state.storage.sql)).toBe(LATEST);
      expect(await reopened.balance()).toMatchObject({ balance: 100, held: 0 });
      const sessionId = crypto.randomUUID();
      const user = { id: userId, email: "old@example.com", name: "Old Object", role: "user" as const, tags: [], createdAt: new Date().toISOString() };
      expect(await reopened.sessionUser(sessionId)).toBeNull();
      await reopened.startSession({ sessionId, tokenHash: "h", expiresAt: Date.now() + 60_000, userAgent: null, refreshTtlMs: 60_000, user });
      expect(await reopened.sessionUser(sessionId)).toEqual(user);
    });
  });

  it("leaves the object at the last complete version when a migration fails", async () => {
    const account = freshAccount();
    await account.open(crypto.randomUUID(), 100);
    const broken: AccountMigration = { version: LATEST + 1, name: "broken", sql: "ALTER TABLE entries ADD COLUMN half TEXT; SELECT * FROM no_such_table" };
    await runInDurableObject(account, (_instance, state) => {
      expect(() => migrate(state.storage, [...ACCOUNT_MIGRATIONS, broken])).toThrow();
      expect(schemaVersion(state.storage.sql)).toBe(LATEST);
      const columns = state.storage.sql
        .exec<{ name: string }>("SELECT name FROM pragma_table_info('entries')")
        .toArray()
        .map((c) => c.name);
      expect(columns).not.toContain("half");
    });
  });
});
