import { describe, expect, it } from "vitest";
import { api, PASSWORD, refreshCookie, register, uniqueEmail } from "../support/client";
import { refresh, setCookieLine } from "../support/auth-clients";

/** A Set-Cookie line's attributes, lower-cased names: `{ path: "/", "max-age": "2592000", httponly: "" }`. */
function attributes(line: string | null): Record<string, string> {
  expect(line).not.toBeNull();
  const [, ...parts] = (line ?? "").split(";").map((p) => p.trim());
  return Object.fromEntries(parts.map((p) => [p.split("=")[0]!.toLowerCase(), p.split("=").slice(1).join("=")]));
}

/** Set beside the refresh cookie: readable by the page, as long-lived, sent to every path. */
function expectHintSet(res: Response) {
  const hint = attributes(setCookieLine(res, "lumiku_session"));
  const refreshed = attributes(setCookieLine(res, "lumiku_refresh"));
  expect(setCookieLine(res, "lumiku_session")?.split(";")[0]).toBe("lumiku_session=1");
  expect(hint).toMatchObject({ path: "/", samesite: "Strict", secure: "", "max-age": refreshed["max-age"] });
  expect("httponly" in hint).toBe(false);
  expect("httponly" in refreshed).toBe(true);
}

/** Cleared in the same response as the refresh cookie, on the path it was set on. */
function expectHintCleared(res: Response) {
  expect(attributes(setCookieLine(res, "lumiku_session"))).toMatchObject({ path: "/", "max-age": "0" });
  expect(attributes(setCookieLine(res, "lumiku_refresh"))).toMatchObject({ path: "/api/auth", "max-age": "0" });
}

describe("the lumiku_session hint cookie", () => {
  it("is set with the refresh cookie at register, login and refresh, with the same lifetime", async () => {
    const email = uniqueEmail();
    const registered = await api("/api/auth/register", { method: "POST", json: { email, password: PASSWORD, name: "Hint" } });
    expect(registered.status).toBe(201);
    expectHintSet(registered);
    expect(attributes(setCookieLine(registered, "lumiku_session"))["max-age"]).toBe(String(30 * 86_400));

    const loggedIn = await api("/api/auth/login", { method: "POST", json: { email, password: PASSWORD } });
    expect(loggedIn.status).toBe(200);
    expectHintSet(loggedIn);

    const rotated = await refresh(refreshCookie(loggedIn));
    expect(rotated.status).toBe(200);
    expectHintSet(rotated);
  });

  it("is cleared with the refresh cookie at logout and whenever a refresh is refused", async () => {
    const user = await register();
    const loggedOut = await api("/api/auth/logout", { method: "POST", token: user.token });
    expect(loggedOut.status).toBe(204);
    expectHintCleared(loggedOut);

    const dead = await refresh(user.cookie);
    expect(dead.status).toBe(401);
    expectHintCleared(dead);

    // A hint left without its refresh cookie (cleared by hand, say) is cleared on the one refresh it causes.
    const missing = await api("/api/auth/refresh", { method: "POST", headers: { Cookie: "lumiku_session=1" } });
    expect(missing.status).toBe(401);
    expectHintCleared(missing);
  });
});
