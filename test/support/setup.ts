import { applyD1Migrations, env, listDurableObjectIds, runInDurableObject } from "cloudflare:test";
import { afterAll } from "vitest";

await applyD1Migrations(env.DB, env.TEST_MIGRATIONS);

// Open holds arm the Account object's orphan/expiry alarm; one firing after a file's tests
// have finished can keep the run from exiting. Every file disarms what it armed.
afterAll(async () => {
  for (const id of await listDurableObjectIds(env.ACCOUNT)) {
    await runInDurableObject(env.ACCOUNT.get(id), (_instance, state) => state.storage.deleteAlarm());
  }
});
