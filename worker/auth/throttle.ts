/**
 * Limits on signing in and signing up, for callers who are not signed in yet. Every attempt
 * counts against the caller's address. A login counts against its email only when it fails:
 * per address, so a guesser is slowed where they guess while the owner still signs in from
 * their own network, and under a looser ceiling across all addresses, so guessing from many
 * addresses still stops.
 */
import type { Context } from "hono";
import { clientIp } from "../http/client-ip";
import type { AppEnv } from "../http/context";
import { hitLimit, refundHits } from "../http/rate-limit";
import { sha256 } from "./tokens";

export async function limitRegistration(c: Context<AppEnv>, email: string): Promise<void> {
  const { config } = c.var;
  const windowSeconds = config.AUTH_RATE_LIMIT_WINDOW_SECONDS;
  await hitLimit(c.env.DB, { key: `register:ip:${clientIp(c.req.raw)}`, limit: config.AUTH_RATE_LIMIT_PER_IP, windowSeconds });
  await hitLimit(c.env.DB, { key: `register:email:${await sha256(email)}`, limit: config.AUTH_RATE_LIMIT_PER_EMAIL, windowSeconds });
}

export interface LoginAttempt {
  /** The password was right: the attempt no longer counts against the email. */
  succeeded(): Promise<void>;
}

/**
 * Counts a login before its password is checked (429 past a limit). The email's share is
 * counted up front and taken back on success, rather than added on failure, so concurrent
 * guesses cannot all slip past a limit that none of them has counted against yet.
 */
export async function limitLogin(c: Context<AppEnv>, email: string): Promise<LoginAttempt> {
  const { config } = c.var;
  const windowSeconds = config.AUTH_RATE_LIMIT_WINDOW_SECONDS;
  const ip = clientIp(c.req.raw);
  const emailHash = await sha256(email);
  await hitLimit(c.env.DB, { key: `login:ip:${ip}`, limit: config.AUTH_RATE_LIMIT_PER_IP, windowSeconds });
  const fromHere = await hitLimit(c.env.DB, { key: `login:email-ip:${emailHash}:${ip}`, limit: config.AUTH_RATE_LIMIT_PER_EMAIL, windowSeconds });
  const fromAnywhere = await hitLimit(c.env.DB, { key: `login:email:${emailHash}`, limit: config.AUTH_RATE_LIMIT_PER_EMAIL_GLOBAL, windowSeconds });
  return { succeeded: () => refundHits(c.env.DB, [fromHere, fromAnywhere]) };
}
