/**
 * Security headers for everything the Worker answers. Static assets served without the
 * Worker get the same policy from web/public/_headers.
 */
import { createMiddleware } from "hono/factory";
import { secureHeaders } from "hono/secure-headers";
import type { AppEnv } from "./context";

const policy = secureHeaders({
  contentSecurityPolicy: {
    defaultSrc: ["'self'"],
    scriptSrc: ["'self'"],
    styleSrc: ["'self'", "'unsafe-inline'"],
    imgSrc: ["'self'", "data:", "blob:"],
    connectSrc: ["'self'"],
    frameAncestors: ["'none'"],
    baseUri: ["'self'"],
    formAction: ["'self'"],
    objectSrc: ["'none'"],
  },
  xFrameOptions: "DENY",
  xContentTypeOptions: "nosniff",
  referrerPolicy: "strict-origin-when-cross-origin",
  strictTransportSecurity: "max-age=31536000; includeSubDomains",
  crossOriginResourcePolicy: "same-origin",
  crossOriginOpenerPolicy: "same-origin",
  // A route that sets one of these on purpose (the file route's resource policy) keeps its value.
  overwrite: false,
});

/**
 * A response passed through from a binding (ASSETS, a Durable Object) has immutable headers
 * and never saw the headers prepared on the context; `c.header` on a finalized response
 * copies it, so the policy and the request id can be added instead of failing with a 500.
 */
export const securityHeaders = createMiddleware<AppEnv>((c, next) =>
  policy(c, async () => {
    await next();
    if (!c.res.headers.has("X-Request-Id")) c.header("X-Request-Id", c.var.requestId);
  }),
);
