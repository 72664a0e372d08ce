/** One access-log line per request: request id, user id, method, route, status, ms. */
import { createMiddleware } from "hono/factory";
import type { AppEnv } from "./context";
import { log } from "../core/log";

export const accessLog = createMiddleware<AppEnv>(async (c, next) => {
  const started = Date.now();
  await next();
  log("info", "request", {
    requestId: c.get("requestId"),
    userId: c.get("user")?.id ?? null,
    method: c.req.method,
    route: c.req.routePath,
    status: c.res.status,
    ms: Date.now() - started,
  });
});
