// Seeds the local D1 database with the demo accounts (idempotent: existing rows are kept).
import { randomUUID } from "node:crypto";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { hashPassword } from "../worker/auth/password.ts";
import { run } from "./lib.mjs";

const sqlString = (s) => `'${String(s).replaceAll("'", "''")}'`;

export async function seed(vars, { persistTo, env } = {}) {
  const people = [
    { email: "admin@lumiku.local", name: "Lumiku Admin", role: "admin", password: vars.DEMO_ADMIN_PASSWORD },
    { email: "demo@lumiku.local", name: "Demo User", role: "user", password: vars.DEMO_USER_PASSWORD },
  ];
  const statements = [];
  for (const p of people) {
    if (!p.password || p.password.length < 12) throw new Error(`the demo password for ${p.email} must be at least 12 characters`);
    statements.push(
      `INSERT INTO users (id, email, name, password_hash, role) VALUES (${sqlString(randomUUID())}, ${sqlString(p.email)}, ${sqlString(p.name)}, ${sqlString(await hashPassword(p.password))}, ${sqlString(p.role)}) ON CONFLICT(email) DO NOTHING;`,
    );
  }
  const file = join(mkdtempSync(join(tmpdir(), "lumiku-seed-")), "seed.sql");
  writeFileSync(file, statements.join("\n"));
  run("wrangler", ["d1", "execute", "DB", "--local", "--file", file, ...(persistTo ? ["--persist-to", persistTo] : [])], { quiet: true, ...(env ? { env } : {}) });
  console.log(`Seeded demo accounts: ${people.map((p) => p.email).join(", ")}`);
}
