/** The Hono app: middleware chain, route mounting and the one error path. */
import { Hono } from "hono";
import { HTTPException } from "hono/http-exception";
import { adminRoutes } from "./admin/routes";
import { avatarCreatorRoutes } from "./apps/avatar-creator/routes";
import { loopingFlowRoutes } from "./apps/looping-flow/routes";
import { poseGeneratorRoutes } from "./apps/pose-generator/routes";
import { appRoutes } from "./apps/routes";
import { authRoutes } from "./auth/routes";
import { benchRoutes } from "./bench/routes";
import { creditRoutes } from "./credits/routes";
import { generationRoutes } from "./generations/routes";
import { healthRoutes } from "./health/routes";
import { accessLog } from "./http/access-log";
import type { AppEnv } from "./http/context";
import { corsAllowlist } from "./http/cors";
import { ApiError, errorBody, type ErrorCode } from "./http/errors";
import { limitBody, requestTimeout, requireConfig, wellFormedPath } from "./http/guards";
import { log } from "./http/log";
import { buildOpenApi, doc } from "./http/openapi";
import { requestId } from "./http/request-id";
import { securityHeaders } from "./http/security-headers";
import { projectRoutes } from "./projects/routes";
import { realtimeRoutes } from "./realtime/routes";
import { fileRoutes } from "./storage/routes";

/** Every /api route; its type drives the SPA's typed client. */
const api = new Hono<AppEnv>()
  .route("/health", healthRoutes)
  .route("/auth", authRoutes)
  .route("/credits", creditRoutes)
  .route("/projects", projectRoutes)
  .route("/apps/pose-generator", poseGeneratorRoutes)
  .route("/apps/avatar-creator", avatarCreatorRoutes)
  .route("/apps/looping-flow", loopingFlowRoutes)
  .route("/apps", appRoutes)
  .route("/generations", generationRoutes)
  .route("/files", fileRoutes)
  .route("/realtime", realtimeRoutes)
  .route("/admin", adminRoutes)
  .route("/bench", benchRoutes);

export type AppType = typeof api;

const HTTP_CODES: Partial<Record<number, ErrorCode>> = {
  400: "VALIDATION_ERROR",
  401: "UNAUTHENTICATED",
  403: "FORBIDDEN",
  404: "NOT_FOUND",
  413: "PAYLOAD_TOO_LARGE",
  415: "UNSUPPORTED_MEDIA_TYPE",
  429: "RATE_LIMITED",
};

export const app = new Hono<AppEnv>();

app.use(requestId, accessLog, securityHeaders);

/** Liveness: no I/O, no configuration. */
app.get("/health", (c) => c.json({ status: "ok" }));

app.use("/api/*", wellFormedPath, requireConfig, corsAllowlist, requestTimeout, limitBody());
app.route("/api", api);

let openApi: ReturnType<typeof buildOpenApi> | undefined;
app.get("/api/openapi.json", doc({ summary: "This document", tags: ["meta"], auth: false }), (c) => {
  openApi ??= buildOpenApi(app, { title: "Lumiku Edge API", version: "1.0.0" });
  return c.json(openApi);
});

app.notFound((c) => {
  if (c.req.path.startsWith("/api/") || c.req.path === "/api") {
    return c.json(errorBody("NOT_FOUND", `No route for ${c.req.method} ${c.req.path}`, c.get("requestId")), 404);
  }
  // Everything else is the SPA (assets, with index.html for client-side routes).
  return c.env.ASSETS.fetch(c.req.raw);
});

app.onError((err, c) => {
  const id = c.get("requestId") ?? "unknown";
  if (err instanceof ApiError) {
    for (const [name, value] of Object.entries(err.headers ?? {})) c.header(name, value);
    return c.json(errorBody(err.code, err.message, id, err.details), err.status);
  }
  if (err instanceof HTTPException && HTTP_CODES[err.status]) {
    return c.json(errorBody(HTTP_CODES[err.status]!, err.message || "Bad request", id), err.status);
  }
  log("error", "request.failed", { requestId: id, route: c.req.routePath, error: err.message, stack: err.stack ?? null });
  return c.json(errorBody("INTERNAL", "Something went wrong on our side; it has been logged", id), 500);
});
