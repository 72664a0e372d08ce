import { describe, expect, it } from "vitest";
import { testApp as app } from "../support/worker";
import { mountedApiRoutes } from "../../worker/http/openapi";
import { api } from "../support/client";

interface Operation {
  security?: unknown[];
  requestBody?: { content: Record<string, { schema: { required?: string[]; properties?: Record<string, unknown> } }> };
  responses: Record<string, unknown>;
}
interface Document {
  openapi: string;
  info: { title: string; version: string };
  paths: Record<string, Record<string, Operation>>;
}

const openApi = async () => {
  const res = await api("/api/openapi.json");
  expect(res.status).toBe(200);
  return res.json<Document>();
};

describe("GET /api/openapi.json", () => {
  it("is an OpenAPI 3.1 document", async () => {
    const doc = await openApi();
    expect(doc.openapi).toMatch(/^3\.1\./);
    expect(doc.info.title).toEqual(expect.any(String));
  });

  it("documents every mounted /api route with its method", async () => {
    const doc = await openApi();
    const routes = mountedApiRoutes(app);
    expect(routes.length).toBeGreaterThan(10);
    const missing = routes.filter((r) => !doc.paths[r.path]?.[r.method]).map((r) => `${r.method.toUpperCase()} ${r.path}`);
    expect(missing).toEqual([]);
    for (const path of Object.keys(doc.paths)) expect(path).not.toMatch(/:/);
  });

  it("publishes the register body schema, requiring email, password and name", async () => {
    const doc = await openApi();
    const register = doc.paths["/api/auth/register"]!.post!;
    const schema = register.requestBody!.content["application/json"]!.schema;
    expect([...schema.required!].sort()).toEqual(["email", "name", "password"]);
    expect(schema.properties).not.toHaveProperty("role");
    expect(schema.properties!.password).toMatchObject({ minLength: 12, maxLength: 128 });
    expect(register.responses).toHaveProperty("201");
    expect(register.security).toBeUndefined();
  });

  it("marks the signed-in routes as needing a bearer token", async () => {
    const doc = await openApi();
    expect(doc.paths["/api/auth/me"]!.get!.security).toEqual([{ bearer: [] }]);
    expect(doc.paths["/api/auth/sessions/{id}"]!.delete!.security).toEqual([{ bearer: [] }]);
  });
});
