// `npm run verify-statement FILE [--jwks FILE_OR_URL]`: checks a ledger statement offline.
// FILE holds the compact JWS (or the JSON of GET /api/credits/statement); the public keys come
// from a saved jwks.json or from a server's /.well-known/jwks.json (default: the local one).
// Verifies the EdDSA signature, then recomputes the hash chain and says where it breaks.
import { readFileSync } from "node:fs";
import { compactVerify, createLocalJWKSet, type JSONWebKeySet } from "jose";
import { type ChainedEntry, verifyChain } from "../worker/core/chain.ts";

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

let payload: { sub: string; from: string; to: string; previous: string; head: string; entries: ChainedEntry[] };
let kid: string | undefined;
try {
  const verified = await compactVerify(jws, createLocalJWKSet(jwks), { algorithms: ["EdDSA"] });
  payload = JSON.parse(new TextDecoder().decode(verified.payload));
  kid = verified.protectedHeader.kid;
} catch (e) {
  fail(`the signature does not verify against ${jwksAt}: ${e instanceof Error ? e.message : String(e)}`);
}
console.log(`✔ signature valid (EdDSA, key ${kid}): the statement of ${payload.sub}, ${payload.from} – ${payload.to}`);

const check = verifyChain(payload.previous, payload.entries, payload.head);
if (!check.ok) fail(`the hash chain breaks at ${check.reason}`);
const total = payload.entries.reduce((sum, e) => sum + e.amount, 0);
console.log(`✔ hash chain intact: ${payload.entries.length} entries, net ${total >= 0 ? "+" : ""}${total} credits, head ${check.head}`);
