// The local cron. Cron triggers never fire by themselves under `wrangler dev`, so this runs
// the Worker's scheduled handler on the schedule wrangler.toml declares. Shared by
// `npm run dev` and the browser suite's recovery test.
import { join } from "node:path";
import { experimental_readRawConfig } from "wrangler";
import { root } from "./lib.mjs";

/** wrangler.toml's `[triggers] crons`, read the way wrangler reads them. */
export function cronTriggers() {
  return experimental_readRawConfig({ config: join(root, "wrangler.toml") }).rawConfig.triggers?.crons ?? [];
}

/**
 * Minutes between the runs of an `*\/N * * * *` schedule, the only shape replayed locally.
 * @param {string} cron
 */
export function everyMinutes(cron) {
  const match = /^\*(?:\/(\d+))? \* \* \* \*$/.exec(cron.trim());
  if (!match) throw new Error(`the local cron replays "*/N * * * *" schedules only, not "${cron}"`);
  return Number(match[1] ?? 1);
}

/**
 * Runs the scheduled handler once; resolves when it has finished and throws unless it ran
 * to the end. Miniflare's trigger endpoint answers before the static assets (which would
 * answer any other unknown path with the SPA's index.html) and reports the handler's
 * outcome. `scheduledTime` (ms) is the time the run is for: a later one makes today's
 * leases and queued items look as old as they will be then.
 * @param {string} origin
 * @param {{ cron?: string, scheduledTime?: number }} [options]
 */
export async function runScheduled(origin, { cron = cronTriggers()[0], scheduledTime } = {}) {
  const url = new URL("/cdn-cgi/local/scheduled", origin);
  url.searchParams.set("format", "json");
  if (cron) url.searchParams.set("cron", cron);
  if (scheduledTime !== undefined) url.searchParams.set("time", String(scheduledTime));
  const res = await fetch(url);
  const text = await res.text();
  const outcome = res.headers.get("content-type")?.startsWith("application/json") ? JSON.parse(text).outcome : undefined;
  if (outcome !== "ok") throw new Error(`the scheduled handler did not run to the end: HTTP ${res.status} ${text.slice(0, 200)}`);
}

/**
 * Runs every trigger now, then on its own cadence for as long as the process lives. A failed
 * run is reported loudly; the next one still happens.
 * @param {string} origin
 */
export function driveSchedule(origin) {
  for (const cron of cronTriggers()) {
    const minutes = everyMinutes(cron);
    const tick = () => runScheduled(origin, { cron }).catch((e) => console.error(`\n✖ local cron (${cron}): ${e.message}\n`));
    console.log(`Local cron: the scheduled handler runs now and every ${minutes} min (${cron}).`);
    tick();
    setInterval(tick, minutes * 60_000);
  }
}
