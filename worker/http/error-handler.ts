/** The one error path: contract errors answer as themselves, anything unexpected is logged and a 500. */
import type { ErrorHandler } from "hono";
import { HTTPException } from "hono/http-exception";
import { ApiError, errorBody, type ErrorCode } from "../core/errors";
import { log } from "../core/log";
import type { AppEnv } from "./context";

const HTTP_CODES: Partial<Record<number, ErrorCode>> = {
  400: "VALIDATION_ERROR",
  401: "UNAUTHENTICATED",
  403: "FORBIDDEN",
  404: "NOT_FOUND",
  413: "PAYLOAD_TOO_LARGE",
  415: "UNSUPPORTED_MEDIA_TYPE",
  429: "RATE_LIMITED",
};

export const handleError: ErrorHandler<AppEnv> = (err, c) => {
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
};
