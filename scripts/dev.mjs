// `npm run dev`: migrations, seed, SPA build, then one offline `wrangler dev` serving
// API + SPA on 127.0.0.1:$PORT. Ctrl-C stops everything this started.
import { ensureDevVars, run, start, waitFor } from "./lib.mjs";
import { seed } from "./seed.mjs";

const port = Number(process.env.PORT ?? 8787);
const origin = `http://127.0.0.1:${port}`;
/** Cron triggers never fire under wrangler dev; drive the scheduled handler on the same cadence. */
const CRON = "*/2 * * * *";
const CRON_EVERY_MS = 120_000;

const vars = ensureDevVars();
run("wrangler", ["d1", "migrations", "apply", "DB", "--local"], { quiet: true });
console.log("Applied D1 migrations (local).");
await seed(vars);
run("vite", ["build", "--config", "web/vite.config.ts", "--logLevel", "warn"]);

const server = start("wrangler", ["dev", "--ip", "127.0.0.1", "--port", String(port), "--test-scheduled", "--show-interactive-dev-session=false"]);
let cron;
const stop = () => {
  clearInterval(cron);
  server.stop();
  process.exit(0);
};
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
server.child.on("exit", (code) => {
  clearInterval(cron);
  process.exit(code ?? 0);
});

await waitFor(`${origin}/health`);
console.log(`\nLumiku is running at ${origin}  (demo@lumiku.local / ${vars.DEMO_USER_PASSWORD})\n`);
cron = setInterval(() => {
  fetch(`${origin}/__scheduled?cron=${encodeURIComponent(CRON)}`).catch(() => {});
}, CRON_EVERY_MS);
