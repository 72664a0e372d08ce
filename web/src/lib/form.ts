/** Form helpers: field errors from a VALIDATION_ERROR's zod issues. */
import { ApiError } from "./api";

/** `{email: "must be a valid email address"}` from the error's details, for the fields a form has. */
export function fieldErrors(error: unknown, fields: readonly string[]): Record<string, string> {
  if (!(error instanceof ApiError) || error.code !== "VALIDATION_ERROR" || !Array.isArray(error.details)) return {};
  const result: Record<string, string> = {};
  for (const issue of error.details as unknown[]) {
    if (typeof issue !== "object" || issue === null) continue;
    const { path, message } = issue as { path?: unknown; message?: unknown };
    const field = Array.isArray(path) ? path[0] : undefined;
    if (typeof field === "string" && fields.includes(field) && typeof message === "string" && !result[field]) {
      result[field] = message.charAt(0).toUpperCase() + message.slice(1);
    }
  }
  return result;
}
