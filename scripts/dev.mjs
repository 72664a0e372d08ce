// `npm run dev`: migrations, seed, SPA build, then one offline `wrangler dev` serving
// API + SPA on 127.0.0.1:$PORT. Ctrl-C stops everything this started.
import { driveSchedule } from "./cron.mjs";
import { ensureDevVars, run, start, waitFor } from "./lib.mjs";
import { seed } from "./seed.mjs";

const port = Number(process.env.PORT ?? 8787);
const origin = `http://127.0.0.1:${port}`;

const vars = ensureDevVars();
run("wrangler", ["d1", "migrations", "apply", "DB", "--local"], { quiet: true });
console.log("Applied D1 migrations (local).");
await seed(vars);
run("vite", ["build", "--config", "web/vite.config.ts", "--logLevel", "warn"]);

const server = start("wrangler", ["dev", "--ip", "127.0.0.1", "--port", String(port), "--show-interactive-dev-session=false"]);
const stop = () => {
  server.stop();
  process.exit(0);
};
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
server.child.on("exit", (code) => process.exit(code ?? 0));

await waitFor(`${origin}/health`);
console.log(`\nLumiku is running at ${origin}  (demo@lumiku.local / ${vars.DEMO_USER_PASSWORD})\n`);
// Recovery and reconciliation, at once (for what a previous session left) and then on schedule.
driveSchedule(origin);
