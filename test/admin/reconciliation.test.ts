/** GET /api/admin/reconciliation: admins read the last report; everyone else gets 403 first. */
import { env } from "cloudflare:test";
import { expect, it } from "vitest";
import { reconcile } from "../../worker/account/reconcile";
import { registerAdmin } from "../support/admin";
import { api, register } from "../support/client";

it("serves the last reconciliation report to admins only", async () => {
  const user = await register();
  const admin = await registerAdmin();
  expect((await api("/api/admin/reconciliation", { token: user.token })).status).toBe(403);
  expect((await api("/api/admin/reconciliation", { token: admin.token })).status).toBe(404);
  const report = await reconcile(env);
  const res = await api("/api/admin/reconciliation", { token: admin.token });
  expect(res.status).toBe(200);
  expect(await res.json()).toEqual({ ranAt: report.ranAt, checked: report.checked, drift: report.drift });
});
