// `npm run verify-statement FILE [--jwks FILE_OR_URL]`: checks a ledger statement offline.
// FILE holds the compact JWS (or the JSON of GET /api/credits/statement); the public keys come
// from a saved jwks.json or from a server's /.well-known/jwks.json (default: the local one).
// Verifies the EdDSA signature, then recomputes the hash chain and says where it breaks.
import { readFileSync } from "node:fs";
import type { JSONWebKeySet } from "jose";
import { verifyStatement } from "../worker/credits/verify.ts";

const [file, ...rest] = process.argv.slice(2);
const jwksAt = rest[rest.indexOf("--jwks") + 1] ?? "http://127.0.0.1:8787/.well-known/jwks.json";
if (!file || (rest.length > 0 && rest.indexOf("--jwks") === -1)) {
  console.error("usage: npm run verify-statement FILE [--jwks FILE_OR_URL]");
  process.exit(2);
}

function fail(message: string): never {
  console.error(`✖ ${message}`);
  process.exit(1);
}

const text = readFileSync(file, "utf8").trim();
const jws = text.startsWith("{") ? (JSON.parse(text) as { statement: string }).statement : text;
const jwks = (/^https?:\/\//.test(jwksAt) ? await (await fetch(jwksAt)).json() : JSON.parse(readFileSync(jwksAt, "utf8"))) as JSONWebKeySet;

const check = await verifyStatement(jws, jwks);
if (!check.ok) fail(check.stage === "signature" ? `${check.reason} (keys from ${jwksAt})` : check.reason);
const { kid, sub, from, to, entries, head } = check.statement;
console.log(`✔ signature valid (EdDSA, key ${kid}): the statement of ${sub}, ${from} – ${to}`);
const total = entries.reduce((sum, e) => sum + e.amount, 0);
console.log(`✔ hash chain intact: ${entries.length} entries, net ${total >= 0 ? "+" : ""}${total} credits, head ${head}`);
