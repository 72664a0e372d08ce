/** Honours a sane incoming X-Request-Id, otherwise makes one; echoes it on every response. */
import { createMiddleware } from "hono/factory";
import type { AppEnv } from "./context";

const SANE = /^[\w.:-]{8,128}$/;

export const requestId = createMiddleware<AppEnv>(async (c, next) => {
  const incoming = c.req.header("X-Request-Id");
  const id = incoming && SANE.test(incoming) ? incoming : crypto.randomUUID();
  c.set("requestId", id);
  c.header("X-Request-Id", id);
  await next();
});
