// `npm run bench:calls`: how many D1 statements and Account calls one request of each route
// makes. The bench Worker runs behind bench/support/counted.ts (the product unchanged, handed
// counting DB and ACCOUNT bindings); each request names its route in X-Bench-Route and the
// Worker tallies per name. One user drives every route BENCH_CALLS_REPEAT times, one request
// at a time; the table shows the count per request.
//
// Environment (all optional):
//   BENCH_CALLS_RUNTIME  miniflare (default) or wrangler: the counts do not depend on it
//   BENCH_CALLS_REPEAT   requests per route, default 3
import { randomBytes, randomUUID } from "node:crypto";
import WebSocket from "ws";
import { api } from "../pipeline/client.mjs";
import { cleanupAll, guardRun } from "../lib/procs.mjs";
import { ENTRY, RUNTIMES, startRuntime } from "../lib/runtimes.mjs";
import { callsTable, countsOf, labelled, untilTerminal } from "../lib/calls.mjs";

const RUNTIME = process.env.BENCH_CALLS_RUNTIME ?? "miniflare";
const REPEAT = Number(process.env.BENCH_CALLS_REPEAT ?? 3);
if (!RUNTIMES.includes(RUNTIME) || !(Number.isInteger(REPEAT) && REPEAT >= 1 && REPEAT <= 20)) {
  console.error(`BENCH_CALLS_RUNTIME must be one of ${RUNTIMES.join(", ")}; BENCH_CALLS_REPEAT an integer in [1, 20]`);
  process.exit(2);
}

const fail = guardRun(10 * 60_000);
const progress = (msg) => process.stderr.write(`${new Date().toISOString().slice(11, 19)} ${msg}\n`);
const times = async (n, fn) => {
  const out = [];
  for (let i = 0; i < n; i++) out.push(await fn(i));
  return out;
};
const refreshCookie = (res) => {
  const cookie = res.headers.getSetCookie().find((c) => c.startsWith("lumiku_refresh="));
  if (!cookie) throw new Error("no refresh cookie in the response");
  return cookie.split(";")[0];
};

/** Opens the realtime socket with a fresh ticket, labelled; resolves once the greeting arrived, then closes it. */
async function openAndClose(origin, call, token) {
  const { body } = await call("ticket", "POST", "/api/realtime/ticket", { token, expect: 200 });
  const ws = new WebSocket(`${origin.replace(/^http/, "ws")}/api/realtime?ticket=${encodeURIComponent(body.ticket)}`, {
    headers: { Origin: origin, "X-Bench-Route": "socket open" },
    perMessageDeflate: false,
  });
  await new Promise((resolve, reject) => {
    ws.once("message", resolve);
    ws.once("error", reject);
    ws.once("unexpected-response", (_req, res) => reject(new Error(`upgrade refused: HTTP ${res.statusCode}`)));
  });
  await new Promise((resolve) => {
    ws.once("close", resolve);
    ws.close(1000, "done");
  });
}

/** Every route the table shows, in its order: [label, method and path as printed]. */
const ROUTES = [
  ["health", "GET /health"],
  ["register", "POST /api/auth/register"],
  ["login", "POST /api/auth/login"],
  ["refresh", "POST /api/auth/refresh"],
  ["me", "GET /api/auth/me"],
  ["balance", "GET /api/credits/balance"],
  ["history", "GET /api/credits/history"],
  ["charge", "POST /api/bench/charge (reserve + settle)"],
  ["ticket", "POST /api/realtime/ticket"],
  ["socket open", "GET /api/realtime (upgrade)"],
  ["sessions", "GET /api/auth/sessions"],
  ["apps", "GET /api/apps"],
  ["project create", "POST /api/projects"],
  ["projects list", "GET /api/projects?appId="],
  ["pose library", "GET /api/apps/pose-generator/library"],
  ["generation submit", "POST /api/apps/pose-generator/generations (1 item)"],
  ["generation get", "GET /api/generations/:id"],
  ["generations list", "GET /api/generations"],
  ["logout", "POST /api/auth/logout"],
];

async function main() {
  const server = await startRuntime(RUNTIME, { entry: ENTRY.counted, progress });
  try {
    const client = api(server.origin);
    const call = labelled(client);
    const password = randomBytes(18).toString("base64url");
    progress(`driving every route ${REPEAT} time(s), one request at a time`);
    await times(REPEAT, () => call("health", "GET", "/health", { expect: 200 }));
    const users = await times(REPEAT, async () => {
      const email = `calls-${randomUUID()}@bench.local`;
      const res = await call("register", "POST", "/api/auth/register", { json: { email, password, name: "Calls bench" }, expect: 201 });
      return { email, token: res.body.accessToken };
    });
    const { email, token } = users[0];
    const logins = await times(REPEAT, async () => {
      const res = await call("login", "POST", "/api/auth/login", { json: { email, password }, expect: 200 });
      return { token: res.body.accessToken, cookie: refreshCookie(res) };
    });
    let cookie = logins[0].cookie;
    await times(REPEAT, async () => {
      cookie = refreshCookie(await call("refresh", "POST", "/api/auth/refresh", { headers: { Cookie: cookie }, expect: 200 }));
    });
    // Enough credits for every charge and submit below.
    await call("setup", "POST", "/api/bench/grant", { token, json: { amount: 10_000, key: `calls-${randomUUID()}` }, expect: 200 });
    for (const [label, path] of [
      ["me", "/api/auth/me"],
      ["balance", "/api/credits/balance"],
      ["history", "/api/credits/history"],
      ["sessions", "/api/auth/sessions"],
      ["apps", "/api/apps"],
    ]) {
      await times(REPEAT, () => call(label, "GET", path, { token, expect: 200 }));
    }
    await times(REPEAT, () => call("charge", "POST", "/api/bench/charge", { token, json: { amount: 1 }, expect: 200 }));
    await times(REPEAT, () => openAndClose(server.origin, call, token));
    const projects = await times(REPEAT, async () => {
      const res = await call("project create", "POST", "/api/projects", { token, json: { appId: "pose-generator", name: "Calls bench" }, expect: 201 });
      return res.body.id;
    });
    await times(REPEAT, () => call("projects list", "GET", "/api/projects?appId=pose-generator", { token, expect: 200 }));
    await times(REPEAT, () => call("pose library", "GET", "/api/apps/pose-generator/library", { token, expect: 200 }));
    const generations = await times(REPEAT, async () => {
      const res = await call("generation submit", "POST", "/api/apps/pose-generator/generations", {
        token,
        json: { projectId: projects[0], generationType: "TEXT_DESCRIPTION", textPrompt: "standing with arms crossed", variationCount: 1 },
        headers: { "Idempotency-Key": `calls-${randomUUID()}` },
        expect: 202,
      });
      return res.body.generation.id;
    });
    progress("waiting for the generations to finish (the consumer's calls are counted too)");
    for (const id of generations) await untilTerminal(call, token, id, "generation poll");
    await times(REPEAT, (i) => call("generation get", "GET", `/api/generations/${generations[i % generations.length]}`, { token, expect: 200 }));
    await times(REPEAT, () => call("generations list", "GET", "/api/generations", { token, expect: 200 }));
    await times(REPEAT, (i) => call("logout", "POST", "/api/auth/logout", { token: logins[i].token, expect: 204 }));
    // The Account objects project their balance to D1 by alarm about a second after a change.
    await new Promise((r) => setTimeout(r, 2500));
    const counts = await countsOf(client);
    console.log(
      [
        "",
        `Calls per request, ${new Date().toISOString().slice(0, 16).replace("T", " ")} UTC, ${RUNTIME}, ${REPEAT} request(s) per route, one at a time:`,
        "",
        callsTable(counts.routes, ROUTES),
        "",
      ].join("\n"),
    );
  } finally {
    await server.stop();
  }
}

main()
  .then(() => cleanupAll())
  .catch(fail);
