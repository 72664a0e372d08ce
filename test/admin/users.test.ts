/** Admin users: literal search, one user's picture, role and tag edits, session revocation — each change audited. */
import { describe, expect, it } from "vitest";
import { adminApi, auditOf, registerAdmin } from "../support/admin";
import { meStatus } from "../support/auth-clients";
import { expectErrorShape, register, uniqueEmail } from "../support/client";

interface UserView {
  id: string;
  email: string;
  name: string;
  role: string;
  tags: string[];
}

async function search(admin: Awaited<ReturnType<typeof registerAdmin>>, text: string): Promise<UserView[]> {
  const res = await adminApi(admin, `/users?limit=100&search=${encodeURIComponent(text)}`);
  expect(res.status).toBe(200);
  return (await res.json<{ items: UserView[] }>()).items;
}

describe("admin user search", () => {
  it("matches %, _, quotes and backslashes as plain characters", async () => {
    const admin = await registerAdmin();
    const tag = crypto.randomUUID().slice(0, 8);
    const percent = await register(uniqueEmail(`p${tag}`), `100% ${tag}`);
    const underscore = await register(uniqueEmail(`u${tag}`), `a_b ${tag}`);
    const quote = await register(uniqueEmail(`q${tag}`), `O'Brien \\ ${tag}`);
    const plain = await register(uniqueEmail(`n${tag}`), `1000 axb ${tag}`);

    expect((await search(admin, `% ${tag}`)).map((u) => u.id)).toEqual([percent.userId]);
    expect((await search(admin, `_b ${tag}`)).map((u) => u.id)).toEqual([underscore.userId]);
    expect((await search(admin, `O'Brien \\ ${tag}`)).map((u) => u.id)).toEqual([quote.userId]);
    // A bare wildcard finds only names that hold the character itself.
    expect((await search(admin, "%")).map((u) => u.id)).toContain(percent.userId);
    expect((await search(admin, "%")).map((u) => u.id)).not.toContain(plain.userId);
    expect((await search(admin, tag)).map((u) => u.id).sort()).toEqual([percent, underscore, quote, plain].map((c) => c.userId).sort());
    // By email too, case-insensitively.
    expect((await search(admin, percent.email.toUpperCase())).map((u) => u.id)).toEqual([percent.userId]);
  });
});

describe("admin user detail", () => {
  it("shows the balance and holds from the user's Account object, and their live sessions", async () => {
    const admin = await registerAdmin();
    const user = await register();
    const res = await adminApi(admin, `/users/${user.userId}`);
    expect(res.status).toBe(200);
    const body = await res.json<{
      user: UserView;
      balance: { balance: number; held: number; available: number };
      holds: unknown[];
      sessions: { id: string }[];
      recentGenerations: unknown[];
      plan: null;
      orders: null;
    }>();
    expect(body.user.email).toBe(user.email);
    expect(body.balance).toMatchObject({ balance: 100, held: 0, available: 100 });
    expect(body.holds).toEqual([]);
    expect(body.sessions).toHaveLength(1);
    expect(body.recentGenerations).toEqual([]);
  });

  it("answers 404 for an unknown user", async () => {
    const admin = await registerAdmin();
    const res = await adminApi(admin, "/users/no-such-user");
    expect(res.status).toBe(404);
    await expectErrorShape(res, "NOT_FOUND");
  });
});

describe("admin role, tag and session edits", () => {
  it("changes role and tags, records before and after, and the user's next request sees them", async () => {
    const admin = await registerAdmin();
    const user = await register();
    const res = await adminApi(admin, `/users/${user.userId}`, { method: "PATCH", json: { role: "admin", tags: ["enterprise_unlimited", "vip", "vip"] } });
    expect(res.status).toBe(200);
    expect((await res.json<{ user: UserView }>()).user).toMatchObject({ role: "admin", tags: ["enterprise_unlimited", "vip"] });
    // The promoted user is an admin at once.
    expect((await adminApi({ ...user }, "/audit?limit=1")).status).toBe(200);
    const [row, ...rest] = await auditOf(admin, user.userId, "admin.user.update");
    expect(rest).toEqual([]);
    expect(row).toMatchObject({ actorId: admin.userId, targetType: "user", before: { role: "user", tags: [] }, after: { role: "admin", tags: ["enterprise_unlimited", "vip"] } });
  });

  it("refuses bad edits with a 400 and changes nothing", async () => {
    const admin = await registerAdmin();
    const user = await register();
    for (const json of [{}, { role: "owner" }, { tags: ["has space"] }, { tags: Array.from({ length: 33 }, (_, i) => `t${i}`) }, { email: "x@example.com" }]) {
      const res = await adminApi(admin, `/users/${user.userId}`, { method: "PATCH", json });
      expect(res.status, JSON.stringify(json)).toBe(400);
    }
    // 32 tags is the maximum, and it is accepted.
    const max = await adminApi(admin, `/users/${user.userId}`, { method: "PATCH", json: { tags: Array.from({ length: 32 }, (_, i) => `t${i}`) } });
    expect(max.status).toBe(200);
    expect(await auditOf(admin, user.userId, "admin.user.update")).toHaveLength(1);
    expect((await adminApi(admin, "/users/no-such-user", { method: "PATCH", json: { role: "user" } })).status).toBe(404);
  });

  it("revokes every session of a user at once, audited", async () => {
    const admin = await registerAdmin();
    const user = await register();
    expect(await meStatus(user.token)).toBe(200);
    const res = await adminApi(admin, `/users/${user.userId}/sessions/revoke`, { method: "POST" });
    expect(res.status).toBe(204);
    expect(await meStatus(user.token)).toBe(401);
    expect(await meStatus(admin.token)).toBe(200);
    const rows = await auditOf(admin, user.userId, "admin.user.revoke_sessions");
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ before: { liveSessions: 1 }, after: { liveSessions: 0 } });
    expect((await adminApi(admin, "/users/no-such-user/sessions/revoke", { method: "POST" })).status).toBe(404);
  });
});
