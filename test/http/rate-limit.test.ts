import { describe, expect, it } from "vitest";
import { PASSWORD, uniqueEmail } from "../support/client";
import { call, envWith, uniqueIp } from "../support/direct";

const WINDOW_SECONDS = 600;

/** Limits low enough to reach in a test; everything else as configured for the suite. */
const limited = (perIp: number, perEmail: number, perEmailGlobal?: number) =>
  envWith({
    AUTH_RATE_LIMIT_PER_IP: String(perIp),
    AUTH_RATE_LIMIT_PER_EMAIL: String(perEmail),
    AUTH_RATE_LIMIT_PER_EMAIL_GLOBAL: perEmailGlobal === undefined ? undefined : String(perEmailGlobal),
    AUTH_RATE_LIMIT_WINDOW_SECONDS: String(WINDOW_SECONDS),
  });

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

const registerFrom = (target: Env, ip: string, email = uniqueEmail("rl")) => call(target, "/api/auth/register", { method: "POST", ip, json: { email, password: PASSWORD, name: "Limited" } });
const loginFrom = (target: Env, ip: string, email: string, password = PASSWORD) => call(target, "/api/auth/login", { method: "POST", ip, json: { email, password } });

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

  it("slows a guesser at one address without locking the owner out from another", async () => {
    const target = limited(1000, 3);
    const email = uniqueEmail("victim");
    expect((await registerFrom(target, uniqueIp(), email)).status).toBe(201);
    const attacker = uniqueIp();
    for (let i = 0; i < 3; i++) expect((await loginFrom(target, attacker, email, `wrong guess ${i}!`)).status).toBe(401);
    await expectRateLimited(await loginFrom(target, attacker, email, "yet another guess"));
    await expectRateLimited(await loginFrom(target, attacker, email));
    expect((await loginFrom(target, uniqueIp(), email)).status).toBe(200);
  });

  it("counts only failed logins against the email: the owner signs in as often as they like", async () => {
    const target = limited(1000, 2);
    const email = uniqueEmail("regular");
    expect((await registerFrom(target, uniqueIp(), email)).status).toBe(201);
    const home = uniqueIp();
    for (let i = 0; i < 5; i++) expect((await loginFrom(target, home, email)).status).toBe(200);
    expect((await loginFrom(target, home, email, "a typo in it")).status).toBe(401);
    expect((await loginFrom(target, home, email)).status).toBe(200);
    expect((await loginFrom(target, home, email, "another typo")).status).toBe(401);
    await expectRateLimited(await loginFrom(target, home, email, "a third typo"));
  });

  it("lets no more concurrent wrong guesses through than the limit allows", async () => {
    const target = limited(1000, 3);
    const email = uniqueEmail("burst");
    expect((await registerFrom(target, uniqueIp(), email)).status).toBe(201);
    const ip = uniqueIp();
    const answers = await Promise.all(Array.from({ length: 10 }, (_, i) => loginFrom(target, ip, email, `parallel guess ${i}!`)));
    const statuses = answers.map((r) => r.status).sort();
    expect(statuses).toEqual([401, 401, 401, 429, 429, 429, 429, 429, 429, 429]);
  });

  it("stops guessing one account's password from many addresses at the per-email ceiling", async () => {
    const target = limited(1000, 2, 3);
    const email = uniqueEmail("target");
    expect((await registerFrom(target, uniqueIp(), email)).status).toBe(201);
    for (let i = 0; i < 3; i++) expect((await loginFrom(target, uniqueIp(), email, `wrong guess ${i}!`)).status).toBe(401);
    await expectRateLimited(await loginFrom(target, uniqueIp(), email));
    // The ceiling counts the normalized email: case and spaces do not reset it.
    await expectRateLimited(await loginFrom(target, uniqueIp(), ` ${email.toUpperCase()} `));
    expect((await loginFrom(target, uniqueIp(), uniqueEmail("bystander"), "whatever password")).status).toBe(401);
  });

  it("sets the per-email ceiling to ten times the per-email limit unless configured", async () => {
    const target = limited(1000, 1);
    const email = uniqueEmail("default-ceiling");
    expect((await registerFrom(target, uniqueIp(), email)).status).toBe(201);
    for (let i = 0; i < 10; i++) expect((await loginFrom(target, uniqueIp(), email, `wrong guess ${i}!`)).status).toBe(401);
    await expectRateLimited(await loginFrom(target, uniqueIp(), email));
  });

  it("limits registrations per email across addresses", async () => {
    const target = limited(1000, 2);
    const email = uniqueEmail("dup");
    expect((await registerFrom(target, uniqueIp(), email)).status).toBe(201);
    expect((await registerFrom(target, uniqueIp(), email)).status).toBe(409);
    await expectRateLimited(await registerFrom(target, uniqueIp(), email));
  });
});
