/** Recovery from the console: run now (audited), and the history of runs kept in D1. */
import { expect, it } from "vitest";
import { adminApi, registerAdmin } from "../support/admin";

it("runs recovery now, keeps each run in the history with who ran it, and audits it", async () => {
  const admin = await registerAdmin();

  const first = await adminApi(admin, "/recovery", { method: "POST" });
  expect(first.status).toBe(200);
  expect(await first.json()).toEqual({ requeued: 0, failed: 0, finalized: 0, released: 0, errors: 0 });
  await adminApi(admin, "/recovery", { method: "POST" });

  const history = await (await adminApi(admin, "/recovery")).json<{ items: { actorId: string | null; ranAt: string; requeued: number }[] }>();
  expect(history.items).toHaveLength(2);
  expect(history.items.every((r) => r.actorId === admin.userId)).toBe(true);
  expect(Date.parse(history.items[0]!.ranAt)).toBeGreaterThanOrEqual(Date.parse(history.items[1]!.ranAt));

  const audit = await (await adminApi(admin, "/audit?action=admin.recovery")).json<{ items: unknown[] }>();
  expect(audit.items).toHaveLength(2);
});
