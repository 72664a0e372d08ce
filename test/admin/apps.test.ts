/** App switches: a disabled app takes no new generations (503 APP_DISABLED with the admin's message). */
import { expect, it } from "vitest";
import { adminApi, auditOf, registerAdmin } from "../support/admin";
import { api, errorOf, register } from "../support/client";
import { balanceOf, createProject, submit } from "../support/generations";

interface CatalogApp {
  id: string;
  enabled: boolean;
  beta: boolean;
  message: string;
}

const catalogApp = async (token: string, id: string) => (await (await api("/api/apps", { token })).json<{ apps: CatalogApp[] }>()).apps.find((a) => a.id === id);

it("switches an app off with a message, refuses its generations without charging, and switches it back on", async () => {
  const admin = await registerAdmin();
  const user = await register();
  const projectId = await createProject(user);
  const message = "Test pipeline is paused for maintenance until 14:00 UTC";

  const off = await adminApi(admin, "/apps/test-pipeline", { method: "PATCH", json: { enabled: false, message } });
  expect(off.status).toBe(200);
  expect(await off.json()).toMatchObject({ id: "test-pipeline", enabled: false, message });
  expect(await catalogApp(user.token, "test-pipeline")).toMatchObject({ enabled: false, message });

  const refused = await submit(user, { projectId, items: ["ok"] });
  expect(refused.status).toBe(503);
  expect(await errorOf(refused)).toMatchObject({ code: "APP_DISABLED", message, details: { appId: "test-pipeline" } });
  expect(await balanceOf(user)).toMatchObject({ balance: 100, held: 0 });
  // Other apps are untouched.
  expect(await catalogApp(user.token, "pose-generator")).toMatchObject({ enabled: true, message: "" });

  const on = await adminApi(admin, "/apps/test-pipeline", { method: "PATCH", json: { enabled: true, beta: false } });
  expect(on.status).toBe(200);
  expect(await catalogApp(user.token, "test-pipeline")).toMatchObject({ enabled: true, beta: false, message: "" });
  expect((await submit(user, { projectId, items: ["ok"] })).status).toBe(202);

  const rows = await auditOf(admin, "test-pipeline", "admin.app.update");
  expect(rows.map((r) => [r.before, r.after])).toEqual([
    [
      { enabled: false, beta: true, message },
      { enabled: true, beta: false, message },
    ],
    [
      { enabled: true, beta: true, message: "" },
      { enabled: false, beta: true, message },
    ],
  ]);
  const listed = await (await adminApi(admin, "/apps")).json<{ apps: CatalogApp[] }>();
  expect(listed.apps.find((a) => a.id === "test-pipeline")).toMatchObject({ enabled: true, beta: false });
});

it("refuses unknown apps and bad switches without writing anything", async () => {
  const admin = await registerAdmin();
  expect((await adminApi(admin, "/apps/no-such-app", { method: "PATCH", json: { enabled: false } })).status).toBe(404);
  for (const json of [{}, { enabled: "no" }, { message: "x".repeat(301) }, { enabled: false, cost: 0 }]) {
    expect((await adminApi(admin, "/apps/pose-generator", { method: "PATCH", json })).status, JSON.stringify(json)).toBe(400);
  }
  expect((await adminApi(admin, "/apps/pose-generator", { method: "PATCH", json: { message: "x".repeat(300) } })).status).toBe(200);
  expect(await auditOf(admin, "no-such-app")).toEqual([]);
  expect(await auditOf(admin, "pose-generator")).toHaveLength(1);
});
