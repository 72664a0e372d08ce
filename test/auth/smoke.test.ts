import { describe, expect, it } from "vitest";
import { api, register } from "../helpers";

describe("smoke", () => {
  it("registers and reads me", async () => {
    const u = await register();
    const res = await api("/api/auth/me", { token: u.token });
    expect(res.status).toBe(200);
  });
});
