/** zod validators for body, query and params: 400/415 in the contract's shape, schemas documented. */
import type { MiddlewareHandler } from "hono";
import { validator } from "hono/validator";
import type { z } from "zod";
import type { AppEnv } from "./context";
import { ApiError } from "../core/errors";
import { withDoc } from "./openapi";

const JSON_TYPE = /^application\/([\w.-]+\+)?json$/i;

function parse<S extends z.ZodType>(schema: S, value: unknown, what: string): z.output<S> {
  const result = schema.safeParse(value);
  if (!result.success) {
    throw new ApiError(
      "VALIDATION_ERROR",
      `Invalid ${what}: ${result.error.issues.map((i) => `${i.path.join(".") || what} ${i.message}`).join("; ")}`,
      result.error.issues.map((i) => ({ path: i.path, code: i.code, message: i.message })),
    );
  }
  return result.data;
}

type Validated<T extends "json" | "query" | "param", S extends z.ZodType> = MiddlewareHandler<AppEnv, string, { in: { [K in T]: z.input<S> }; out: { [K in T]: z.output<S> } }>;

/** A JSON body: wrong Content-Type → 415, malformed → 400, invalid → 400 with zod issues. */
export function json<S extends z.ZodType>(schema: S): Validated<"json", S> {
  const check: MiddlewareHandler<AppEnv> = async (c, next) => {
    const type = (c.req.header("Content-Type") ?? "").split(";")[0]!.trim();
    if (!JSON_TYPE.test(type)) throw new ApiError("UNSUPPORTED_MEDIA_TYPE", "Send the body as application/json");
    let body: unknown;
    try {
      body = await c.req.json();
    } catch {
      throw new ApiError("VALIDATION_ERROR", "The body is not valid JSON");
    }
    c.req.addValidatedData("json", parse(schema, body, "body") as object);
    await next();
  };
  return withDoc({ body: schema }, check) as unknown as Validated<"json", S>;
}

export function query<S extends z.ZodType>(schema: S): Validated<"query", S> {
  return withDoc({ query: schema }, validator("query", (v) => parse(schema, v, "query")) as MiddlewareHandler) as unknown as Validated<"query", S>;
}

export function params<S extends z.ZodType>(schema: S): Validated<"param", S> {
  return withDoc({ params: schema }, validator("param", (v) => parse(schema, v, "path")) as MiddlewareHandler) as unknown as Validated<"param", S>;
}
