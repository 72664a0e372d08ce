/** Worker entry: HTTP, cron and the Durable Object classes. Nothing runs at import time. */
import { app } from "./app";
import { reconcile } from "./account/reconcile";
import { log } from "./http/log";

export { Account } from "./account/account";

export default {
  fetch: app.fetch,
  async scheduled(_controller, env, ctx) {
    ctx.waitUntil(
      reconcile(env).then((report) => {
        const level = report.drift.length > 0 ? "error" : "info";
        log(level, "reconcile", { checked: report.checked, drift: report.drift.length, details: JSON.stringify(report.drift.slice(0, 20)) });
      }),
    );
  },
} satisfies ExportedHandler<Env>;
