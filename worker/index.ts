/** Worker entry: HTTP, queues, cron and the Durable Object classes. Nothing runs at import time. */
import { app } from "./app";
import { reconcile } from "./account/reconcile";
import { abortAbandonedUploads } from "./apps/video-mixer/uploads";
import { pruneAuthState } from "./auth/prune";
import { loadConfig } from "./config/config";
import { db } from "./db/client";
import { log } from "./http/log";
import { consumeDeadLetters, consumeGenerationBatch } from "./jobs/consumer";
import { GENERATION_DLQ } from "./jobs/messages";
import { errorMessage } from "./jobs/errors";
import { recover } from "./jobs/recovery";

export { Account } from "./account/account";

export default {
  fetch: app.fetch,
  async queue(batch, env, _ctx) {
    if (batch.queue === GENERATION_DLQ) await consumeDeadLetters(batch, env);
    else await consumeGenerationBatch(batch, env);
  },
  async scheduled(controller, env, ctx) {
    const config = loadConfig(env);
    if (!config.ok) {
      log("error", "scheduled.config_invalid", { problems: config.problems.join("; ") });
      return;
    }
    // Staleness is judged as of the time this run is for; locally, scripts/cron.mjs can ask for a later one.
    // Each job runs whatever happened to the other: a failing recovery never skips the bank check.
    await recover(env, config.config, controller.scheduledTime).catch((e: unknown) => log("error", "recovery.failed", { error: errorMessage(e) }));
    ctx.waitUntil(
      pruneAuthState(env, config.config).then(
        (pruned) => log("info", "auth.pruned", { ...pruned }),
        (e: unknown) => log("error", "auth.prune_failed", { error: errorMessage(e) }),
      ),
    );
    ctx.waitUntil(
      abortAbandonedUploads(env, db(env.DB), controller.scheduledTime).then(
        (swept) => log(swept.failed > 0 ? "error" : "info", "clips.abandoned", { ...swept }),
        (e: unknown) => log("error", "clips.abandoned_failed", { error: errorMessage(e) }),
      ),
    );
    ctx.waitUntil(
      reconcile(env).then(
        (report) => {
          const level = report.drift.length > 0 ? "error" : "info";
          log(level, "reconcile", { checked: report.checked, drift: report.drift.length, details: JSON.stringify(report.drift.slice(0, 20)) });
        },
        (e: unknown) => log("error", "reconcile.failed", { error: errorMessage(e) }),
      ),
    );
  },
} satisfies ExportedHandler<Env>;
