/** How the rest of the Worker reaches a user's Account object. */
import type { Account } from "./account";

export function accountOf(env: Env, userId: string): DurableObjectStub<Account> {
  return env.ACCOUNT.get(env.ACCOUNT.idFromName(userId)) as DurableObjectStub<Account>;
}

/** Binds the object to the user and grants the signup credits (once, whatever the retries). */
export async function openAccount(env: Env, userId: string, signupCredits: number): Promise<void> {
  await accountOf(env, userId).open(userId, signupCredits);
}
