/**
 * OpenAPI 3.1 built from the routes themselves: validators and `doc()` attach their
 * zod schemas to the middleware they return, and `buildOpenApi` walks `app.routes`.
 * A route cannot be mounted without appearing here, and the schemas cannot drift
 * from the ones that validate.
 */
import type { Hono, MiddlewareHandler } from "hono";
import { z } from "zod";

export interface RouteDoc {
  summary: string;
  tags?: string[];
  /** false for the few public routes (register, login, health …). */
  auth?: boolean;
  body?: z.ZodType;
  query?: z.ZodType;
  params?: z.ZodType;
  /** JSON response schema of the success status. */
  response?: z.ZodType;
  status?: number;
  /** Other body media type, e.g. multipart/form-data. */
  bodyMediaType?: string;
  idempotent?: boolean;
}

const DOC = Symbol("openapi.doc");
type Documented = { [DOC]?: Partial<RouteDoc> };

/** Attaches documentation to a middleware (validators use this for their schemas). */
export function withDoc<M extends MiddlewareHandler>(doc: Partial<RouteDoc>, middleware: M): M {
  (middleware as M & Documented)[DOC] = doc;
  return middleware;
}

/** A no-op middleware carrying a route's summary, tags and response schema. */
export const doc = (d: RouteDoc): MiddlewareHandler => withDoc(d, async (_c, next) => next());

type Operation = Record<string, unknown>;

const jsonSchema = (schema: z.ZodType, io: "input" | "output") => z.toJSONSchema(schema, { io, unrepresentable: "any", target: "draft-2020-12" });

function parameters(schema: z.ZodType | undefined, where: "query" | "path") {
  if (!schema) return [];
  const s = jsonSchema(schema, "input") as { properties?: Record<string, unknown>; required?: string[] };
  return Object.entries(s.properties ?? {}).map(([name, prop]) => ({
    name,
    in: where,
    required: where === "path" || (s.required ?? []).includes(name),
    schema: prop,
  }));
}

function operation(d: Partial<RouteDoc>): Operation {
  const status = String(d.status ?? 200);
  const op: Operation = {
    summary: d.summary ?? "",
    tags: d.tags ?? [],
    parameters: [...parameters(d.params, "path"), ...parameters(d.query, "query")],
    responses: {
      [status]: d.response ? { description: "Success", content: { "application/json": { schema: jsonSchema(d.response, "output") } } } : { description: "Success" },
      default: { description: "Error", content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } } },
    },
  };
  if (d.auth !== false) op.security = [{ bearer: [] }];
  if (d.idempotent) {
    (op.parameters as unknown[]).push({ name: "Idempotency-Key", in: "header", required: true, schema: { type: "string", minLength: 8, maxLength: 128 } });
  }
  if (d.body) {
    op.requestBody = { required: true, content: { [d.bodyMediaType ?? "application/json"]: { schema: jsonSchema(d.body, "input") } } };
  }
  return op;
}

/** What these functions read of a Hono app: its route table (any app, whatever its types). */
type MountedApp = Pick<Hono, "routes">;

/** Every `/api` route (method + OpenAPI path) the app has mounted. */
export function mountedApiRoutes(app: MountedApp): Array<{ method: string; path: string }> {
  const seen = new Set<string>();
  const out: Array<{ method: string; path: string }> = [];
  for (const r of app.routes) {
    if (r.method === "ALL" || !r.path.startsWith("/api")) continue;
    const path = toOpenApiPath(r.path);
    const key = `${r.method} ${path}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ method: r.method.toLowerCase(), path });
  }
  return out;
}

const toOpenApiPath = (path: string) => path.replace(/:(\w+)(\{[^}]*\})?/g, "{$1}");

export function buildOpenApi(app: MountedApp, info: { title: string; version: string }) {
  const docs = new Map<string, Partial<RouteDoc>>();
  for (const r of app.routes) {
    if (r.method === "ALL" || !r.path.startsWith("/api")) continue;
    const key = `${r.method.toLowerCase()} ${toOpenApiPath(r.path)}`;
    const part = (r.handler as Documented)[DOC] ?? {};
    docs.set(key, { ...docs.get(key), ...part });
  }
  const paths: Record<string, Record<string, Operation>> = {};
  for (const [key, d] of docs) {
    const [method, path] = key.split(" ") as [string, string];
    paths[path] = { ...paths[path], [method]: operation(d) };
  }
  return {
    openapi: "3.1.0",
    info,
    paths,
    components: {
      securitySchemes: { bearer: { type: "http", scheme: "bearer", bearerFormat: "JWT" } },
      schemas: {
        Error: {
          type: "object",
          required: ["error"],
          properties: {
            error: {
              type: "object",
              required: ["code", "message", "requestId"],
              properties: { code: { type: "string" }, message: { type: "string" }, requestId: { type: "string" }, details: {} },
            },
          },
        },
      },
    },
  };
}
