/** Domain errors and the contract's error shape; one `onError` turns them into responses. */
import type { ContentfulStatusCode } from "hono/utils/http-status";

export type ErrorCode =
  | "VALIDATION_ERROR"
  | "UNAUTHENTICATED"
  | "FORBIDDEN"
  | "PLAN_REQUIRED"
  | "INVALID_SIGNATURE"
  | "NOT_FOUND"
  | "CONFLICT"
  | "INSUFFICIENT_CREDITS"
  | "PAYLOAD_TOO_LARGE"
  | "UNSUPPORTED_MEDIA_TYPE"
  | "PRECONDITION_FAILED"
  | "RANGE_NOT_SATISFIABLE"
  | "UNPROCESSABLE"
  | "RATE_LIMITED"
  | "SERVICE_UNAVAILABLE"
  | "APP_DISABLED"
  | "TIMEOUT"
  | "INTERNAL";

const STATUS: Record<ErrorCode, ContentfulStatusCode> = {
  VALIDATION_ERROR: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  PLAN_REQUIRED: 403,
  INVALID_SIGNATURE: 401,
  NOT_FOUND: 404,
  CONFLICT: 409,
  INSUFFICIENT_CREDITS: 402,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  PRECONDITION_FAILED: 412,
  RANGE_NOT_SATISFIABLE: 416,
  UNPROCESSABLE: 422,
  RATE_LIMITED: 429,
  SERVICE_UNAVAILABLE: 503,
  APP_DISABLED: 503,
  TIMEOUT: 503,
  INTERNAL: 500,
};

export interface ErrorBody {
  error: { code: ErrorCode; message: string; requestId: string; details?: unknown };
}

/** An expected failure with a contract code; anything else thrown is a 500. */
export class ApiError extends Error {
  readonly status: ContentfulStatusCode;
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: unknown,
    /** Extra response headers, e.g. Retry-After. */
    readonly headers?: Record<string, string>,
  ) {
    super(message);
    this.name = "ApiError";
    this.status = STATUS[code];
  }
}

export const notFound = (what: string) => new ApiError("NOT_FOUND", `${what} not found`);

export function errorBody(code: ErrorCode, message: string, requestId: string, details?: unknown): ErrorBody {
  return { error: { code, message, requestId, ...(details === undefined ? {} : { details }) } };
}

export function rateLimited(retryAfterSeconds: number, message = "Too many requests"): ApiError {
  const seconds = Math.max(1, Math.ceil(retryAfterSeconds));
  return new ApiError(
    "RATE_LIMITED",
    `${message}; retry in ${seconds} s`,
    { retryAfter: seconds },
    {
      "Retry-After": String(seconds),
    },
  );
}

/** The message of anything thrown, bounded for logs and stored errors. */
export const errorMessage = (e: unknown) => (e instanceof Error ? e.message : String(e)).slice(0, 500);
