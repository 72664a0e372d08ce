/** The Worker's handlers (HTTP, queues, cron) for a catalog of apps; worker/index.ts picks the product's. */
import { resumeErasures } from "./account-data/erase";
import { reconcile } from "./account/reconcile";
import type { Hono } from "hono";
import { createApp } from "./app";
import { pruneAuthState } from "./auth/prune";
import { pollOrders } from "./billing/poller";
import { gatewayFor } from "./billing/select";
import { loadConfig } from "./config/config";
import { errorMessage } from "./core/errors";
import { log } from "./core/log";
import type { Catalog } from "./generations/catalog";
import type { AppEnv } from "./http/context";
import { consumeDeadLetters, consumeGenerationBatch } from "./generations/consumer";
import { GENERATION_DLQ } from "./generations/messages";
import { recover } from "./generations/recovery";
import { recoveryRunRow } from "./generations/recovery-runs";
import { db } from "./db/client";

export function createWorker(catalog: Catalog, app: Hono<AppEnv> = createApp(catalog)) {
  return {
    fetch: app.fetch,
    async queue(batch, env, _ctx) {
      if (batch.queue === GENERATION_DLQ) await consumeDeadLetters(batch, env);
      else await consumeGenerationBatch(batch, env, catalog);
    },
    async scheduled(controller, env, ctx) {
      const config = loadConfig(env);
      if (!config.ok) {
        log("error", "scheduled.config_invalid", { problems: config.problems.join("; ") });
        return;
      }
      // Staleness is judged as of the time this run is for; locally, scripts/cron.mjs can ask for a later one.
      // Each job runs whatever happened to the other: a failing recovery never skips the bank check.
      await recover(env, config.config, controller.scheduledTime)
        .then((report) => (Object.values(report).some((n) => n > 0) ? recoveryRunRow(db(env.DB), report, null) : undefined))
        .catch((e: unknown) => log("error", "recovery.failed", { error: errorMessage(e) }));
      ctx.waitUntil(
        pruneAuthState(env, config.config).then(
          (pruned) => log("info", "auth.pruned", { ...pruned }),
          (e: unknown) => log("error", "auth.prune_failed", { error: errorMessage(e) }),
        ),
      );
      for (const app of catalog.definitions()) {
        if (!app.upkeep) continue;
        const appId = app.manifest.id;
        ctx.waitUntil(
          app.upkeep(env, controller.scheduledTime).then(
            (counts) => log(counts.failed ? "error" : "info", "app.upkeep", { appId, ...counts }),
            (e: unknown) => log("error", "app.upkeep_failed", { appId, error: errorMessage(e) }),
          ),
        );
      }
      ctx.waitUntil(
        (async () => pollOrders(env, gatewayFor(config.config, env), controller.scheduledTime))().then(
          (report) => log(report.errors > 0 ? "warn" : "info", "billing.polled", { ...report }),
          (e: unknown) => log("error", "billing.poll_run_failed", { error: errorMessage(e) }),
        ),
      );
      ctx.waitUntil(
        resumeErasures(env, config.config).then(
          (report) => log(report.failed > 0 ? "error" : "info", "account.erasures", { ...report }),
          (e: unknown) => log("error", "account.erasures_failed", { error: errorMessage(e) }),
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
}
