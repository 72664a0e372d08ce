// The old stack, rebuilt faithfully for comparison: Hono on Node with `pg` against
// PostgreSQL, a ledger of rows `(id, user_id, amount, balance, created_at)` whose latest
// row is the balance. Run as its own process:
//   DATABASE_URL=… PORT=… VARIANT=a|b|c node bench/ledger/old-stack.mjs
// a: the shipped "fix": an interactive transaction at the default isolation (READ COMMITTED)
//    reading the latest row by created_at DESC, then inserting.
// b: SERIALIZABLE, retried on serialization failure (40001); the retries are counted.
// c: SELECT … FOR UPDATE on a per-user lock row, then the latest row by id DESC.
import { serve } from "@hono/node-server";
import { Hono } from "hono";
import pg from "pg";

const { DATABASE_URL, PORT, VARIANT } = process.env;
if (!DATABASE_URL || !PORT || !["a", "b", "c"].includes(VARIANT ?? "")) {
  console.error("usage: DATABASE_URL=… PORT=… VARIANT=a|b|c node bench/ledger/old-stack.mjs");
  process.exit(2);
}

/** A serialization failure retried this long is reported as an error instead of looping forever. */
const RETRY_BUDGET_MS = 30_000;
const SERIALIZATION_FAILURE = "40001";

const pool = new pg.Pool({ connectionString: DATABASE_URL, max: 64 });
// An idle client losing its connection (the cluster stopping first) must not crash the process.
pool.on("error", () => {});

await pool.query(`
  CREATE TABLE IF NOT EXISTS ledger (
    id bigserial PRIMARY KEY,
    user_id text NOT NULL,
    amount integer NOT NULL,
    balance integer NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
  );
  CREATE INDEX IF NOT EXISTS ledger_user_created ON ledger (user_id, created_at DESC);
  CREATE INDEX IF NOT EXISTS ledger_user_id ON ledger (user_id, id DESC);
  CREATE TABLE IF NOT EXISTS accounts (user_id text PRIMARY KEY);
`);

/** The balance as each variant reads it (a: the newest created_at, ties broken by id for a stable report). */
const LATEST = {
  a: "SELECT balance FROM ledger WHERE user_id = $1 ORDER BY created_at DESC LIMIT 1",
  b: "SELECT balance FROM ledger WHERE user_id = $1 ORDER BY id DESC LIMIT 1",
  c: "SELECT balance FROM ledger WHERE user_id = $1 ORDER BY id DESC LIMIT 1",
};
const INSERT = "INSERT INTO ledger (user_id, amount, balance) VALUES ($1, $2, $3)";

async function inTransaction(begin, work) {
  const client = await pool.connect();
  try {
    await client.query(begin);
    const result = await work(client);
    await client.query("COMMIT");
    return result;
  } catch (e) {
    await client.query("ROLLBACK").catch(() => {});
    throw e;
  } finally {
    client.release();
  }
}

/** Reads the latest balance and, when it covers `amount`, appends the charge row. */
async function chargeOnce(client, userId, amount) {
  const { rows } = await client.query(LATEST[VARIANT], [userId]);
  const latest = rows[0]?.balance ?? 0;
  if (latest < amount) return { ok: false, balance: latest };
  await client.query(INSERT, [userId, -amount, latest - amount]);
  return { ok: true, balance: latest - amount };
}

async function charge(userId, amount) {
  if (VARIANT === "a") return { ...(await inTransaction("BEGIN", (c) => chargeOnce(c, userId, amount))), retries: 0 };
  if (VARIANT === "c") {
    return {
      ...(await inTransaction("BEGIN", async (c) => {
        await c.query("SELECT user_id FROM accounts WHERE user_id = $1 FOR UPDATE", [userId]);
        return chargeOnce(c, userId, amount);
      })),
      retries: 0,
    };
  }
  const deadline = Date.now() + RETRY_BUDGET_MS;
  for (let retries = 0; ; retries++) {
    try {
      return { ...(await inTransaction("BEGIN ISOLATION LEVEL SERIALIZABLE", (c) => chargeOnce(c, userId, amount))), retries };
    } catch (e) {
      if (e?.code !== SERIALIZATION_FAILURE || Date.now() > deadline) {
        e.retries = retries;
        throw e;
      }
    }
  }
}

const app = new Hono()
  .post("/setup", async (c) => {
    const { userId, balance } = await c.req.json();
    await pool.query("INSERT INTO accounts (user_id) VALUES ($1) ON CONFLICT DO NOTHING", [userId]);
    await pool.query(INSERT, [userId, balance, balance]);
    return c.json({ ok: true });
  })
  .post("/charge", async (c) => {
    const { userId, amount } = await c.req.json();
    try {
      const result = await charge(userId, amount);
      return c.json(result, result.ok ? 200 : 402);
    } catch (e) {
      return c.json({ ok: false, error: e?.code ?? e?.message ?? String(e), retries: e?.retries ?? 0 }, 503);
    }
  })
  .get("/balance", async (c) => {
    const userId = c.req.query("userId");
    const order = VARIANT === "a" ? "created_at DESC, id DESC" : "id DESC";
    const latest = await pool.query(`SELECT balance FROM ledger WHERE user_id = $1 ORDER BY ${order} LIMIT 1`, [userId]);
    const entries = await pool.query("SELECT COUNT(*)::int AS n, COALESCE(SUM(amount), 0)::int AS total FROM ledger WHERE user_id = $1 AND amount < 0", [userId]);
    return c.json({ balance: latest.rows[0]?.balance ?? null, charges: entries.rows[0].n });
  })
  .get("/health", (c) => c.json({ status: "ok" }));

const server = serve({ fetch: app.fetch, port: Number(PORT), hostname: "127.0.0.1" });
// Outlive the load generator's idle keep-alive sockets, so a reused socket is never reset under it.
server.keepAliveTimeout = 120_000;

async function shutdown() {
  server.close();
  await pool.end().catch(() => {});
  process.exit(0);
}
process.on("SIGTERM", shutdown);
process.on("SIGINT", shutdown);
