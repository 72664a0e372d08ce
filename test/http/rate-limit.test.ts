import { describe, expect, it } from "vitest";
import { PASSWORD, uniqueEmail } from "../helpers";
import { call, envWith, uniqueIp } from "./direct";

const WINDOW_SECONDS = 600;

/** Limits low enough to reach in a test; everything else as configured for the suite. */
const limited = (perIp: number, perEmail: number) =>
  envWith({ AUTH_RATE_LIMIT_PER_IP: String(perIp), AUTH_RATE_LIMIT_PER_EMAIL: String(perEmail), AUTH_RATE_LIMIT_WINDOW_SECONDS: String(WINDOW_SECONDS) });

async function expectRateLimited(res: Response) {
  expect(res.status).toBe(429);
  const retryAfter = Number(res.headers.get("Retry-After"));
  expect(Number.isInteger(retryAfter)).toBe(true);
  expect(retryAfter).toBeGreaterThanOrEqual(1);
  expect(retryAfter).toBeLessThanOrEqual(WINDOW_SECONDS);
  const body = await res.json<{ error: { code: string; requestId: string } }>();
  expect(body.error.code).toBe("RATE_LIMITED");
  expect(body.error.requestId).toBe(res.headers.get("X-Request-Id"));
}

const registerFrom = (target: Env, ip: string, email = uniqueEmail("rl")) =>
  call(target, "/api/auth/register", { method: "POST", ip, json: { email, password: PASSWORD, name: "Limited" } });
const loginFrom = (target: Env, ip: string, email: string, password = PASSWORD) =>
  call(target, "/api/auth/login", { method: "POST", ip, json: { email, password } });

describe("auth rate limits", () => {
  it("stops registrations from one address past the per-IP limit with 429 and Retry-After", async () => {
    const target = limited(3, 1000);
    const ip = uniqueIp();
    for (let i = 0; i < 3; i++) expect((await registerFrom(target, ip)).status).toBe(201);
    await expectRateLimited(await registerFrom(target, ip));
    expect((await registerFrom(target, uniqueIp())).status).toBe(201);
  });

  it("counts every IPv6 address of one /64 against one per-IP limit", async () => {
    const target = limited(2, 1000);
    const network = uniqueIp().replace(/::1$/, "");
    expect((await registerFrom(target, `${network}::1`)).status).toBe(201);
    expect((await registerFrom(target, `${network}:aaaa:bbbb:cccc:dddd`)).status).toBe(201);
    await expectRateLimited(await registerFrom(target, `${network}::2`));
    expect((await registerFrom(target, uniqueIp())).status).toBe(201);
  });

  it("stops password guessing from one address past the per-IP limit, even when the guess is right", async () => {
    const target = limited(3, 1000);
    const email = uniqueEmail("victim");
    expect((await registerFrom(target, uniqueIp(), email)).status).toBe(201);
    const ip = uniqueIp();
    for (let i = 0; i < 3; i++) expect((await loginFrom(target, ip, email, `guess number ${i}!`)).status).toBe(401);
    await expectRateLimited(await loginFrom(target, ip, email));
    expect((await loginFrom(target, uniqueIp(), email)).status).toBe(200);
  });

  it("stops guessing one account's password from many addresses past the per-email limit", async () => {
    const target = limited(1000, 2);
    const email = uniqueEmail("target");
    expect((await registerFrom(target, uniqueIp(), email)).status).toBe(201);
    expect((await loginFrom(target, uniqueIp(), email, "first wrong guess")).status).toBe(401);
    expect((await loginFrom(target, uniqueIp(), email, "second wrong guess")).status).toBe(401);
    await expectRateLimited(await loginFrom(target, uniqueIp(), email));
    // The limit counts the normalized email: case and spaces do not reset it.
    await expectRateLimited(await loginFrom(target, uniqueIp(), ` ${email.toUpperCase()} `));
    expect((await loginFrom(target, uniqueIp(), uniqueEmail("bystander"), "whatever password")).status).toBe(401);
  });

  it("limits registrations per email across addresses", async () => {
    const target = limited(1000, 2);
    const email = uniqueEmail("dup");
    expect((await registerFrom(target, uniqueIp(), email)).status).toBe(201);
    expect((await registerFrom(target, uniqueIp(), email)).status).toBe(409);
    await expectRateLimited(await registerFrom(target, uniqueIp(), email));
  });
});
