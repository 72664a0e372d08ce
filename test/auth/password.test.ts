import { describe, expect, it } from "vitest";
import { hashPassword, PRODUCTION_SCRYPT, verifyPassword, type ScryptParams } from "../../worker/auth/password";

const PASSWORD = "a long and private passphrase";
const CHEAP: ScryptParams = { logN: 10, r: 8, p: 5 };

/** Rewrites one field of `$scrypt$ln=…,r=…,p=…$salt$key`. */
function tamper(phc: string, field: "params" | "salt" | "key", value: string): string {
  const [, , params, salt, key] = phc.split("$") as [string, string, string, string, string];
  const parts = { params, salt, key, [field]: value };
  return `$scrypt$${parts.params}$${parts.salt}$${parts.key}`;
}

describe("password hashing", () => {
  it("uses scrypt ln=14, r=8, p=5 in production and records the parameters in the hash", async () => {
    expect(PRODUCTION_SCRYPT).toEqual({ logN: 14, r: 8, p: 5 });
    const hash = await hashPassword(PASSWORD);
    expect(hash).toMatch(/^\$scrypt\$ln=14,r=8,p=5\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$/);
  });

  it("verifies the right password and refuses a wrong one", async () => {
    const hash = await hashPassword(PASSWORD, CHEAP);
    expect(await verifyPassword(PASSWORD, hash, CHEAP)).toEqual({ ok: true, needsRehash: false });
    expect(await verifyPassword(`${PASSWORD} `, hash, CHEAP)).toEqual({ ok: false, needsRehash: false });
    expect(await verifyPassword("", hash, CHEAP)).toEqual({ ok: false, needsRehash: false });
  });

  it("salts every hash: the same password never hashes the same twice", async () => {
    expect(await hashPassword(PASSWORD, CHEAP)).not.toBe(await hashPassword(PASSWORD, CHEAP));
  });

  it.each([
    ["a lower N", { logN: 10, r: 8, p: 5 }],
    ["a lower r", { logN: 11, r: 4, p: 5 }],
    ["a lower p", { logN: 11, r: 8, p: 1 }],
  ])("asks for a rehash when the stored hash used %s than wanted, but only with the right password", async (_, weaker) => {
    const wanted = { logN: 11, r: 8, p: 5 };
    const hash = await hashPassword(PASSWORD, weaker);
    expect(await verifyPassword(PASSWORD, hash, wanted)).toEqual({ ok: true, needsRehash: true });
    expect(await verifyPassword("wrong password!!", hash, wanted)).toEqual({ ok: false, needsRehash: false });
  });

  it("does not ask for a rehash when the stored hash is as strong as wanted or stronger", async () => {
    const hash = await hashPassword(PASSWORD, { logN: 11, r: 8, p: 5 });
    expect(await verifyPassword(PASSWORD, hash, CHEAP)).toEqual({ ok: true, needsRehash: false });
  });

  it.each([
    ["N", "ln=11,r=8,p=5"],
    ["r", "ln=10,r=9,p=5"],
    ["p", "ln=10,r=8,p=4"],
  ])("fails a hash whose %s was tampered with", async (_, params) => {
    const hash = await hashPassword(PASSWORD, CHEAP);
    expect(await verifyPassword(PASSWORD, tamper(hash, "params", params), CHEAP)).toMatchObject({ ok: false });
  });

  it("fails a hash whose salt or key was tampered with", async () => {
    const hash = await hashPassword(PASSWORD, CHEAP);
    const salt = hash.split("$")[3]!;
    const key = hash.split("$")[4]!;
    expect(
      await verifyPassword(
        PASSWORD,
        tamper(
          hash,
          "salt",
          salt.replace(/^./, (c) => (c === "A" ? "B" : "A")),
        ),
        CHEAP,
      ),
    ).toMatchObject({ ok: false });
    expect(
      await verifyPassword(
        PASSWORD,
        tamper(
          hash,
          "key",
          key.replace(/^./, (c) => (c === "A" ? "B" : "A")),
        ),
        CHEAP,
      ),
    ).toMatchObject({ ok: false });
  });

  it("fails a truncated key instead of matching any password against it", async () => {
    const hash = await hashPassword(PASSWORD, CHEAP);
    for (const key of ["A", "AAAA", hash.split("$")[4]!.slice(0, 20)]) {
      expect(await verifyPassword("any password at all", tamper(hash, "key", key), CHEAP)).toMatchObject({ ok: false });
    }
  });

  it.each([
    ["an N beyond what scrypt accepts", "ln=40,r=8,p=5"],
    ["an N and r that would need gigabytes", "ln=20,r=99,p=1"],
    ["a p that would burn seconds of CPU", "ln=14,r=8,p=99"],
    ["zero r", "ln=10,r=0,p=5"],
  ])("fails, without throwing or allocating, a hash stored with %s", async (_, params) => {
    const hash = await hashPassword(PASSWORD, CHEAP);
    await expect(verifyPassword(PASSWORD, tamper(hash, "params", params), CHEAP)).resolves.toEqual({ ok: false, needsRehash: false });
  });

  it.each(["", "plaintext", "$2b$12$bcryptbcryptbcryptbcryptbcryptbcryptbcryptbcryptbcry", "$scrypt$ln=10,r=8$c2FsdA$a2V5", "$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$a2V5"])(
    "fails a stored value that is not one of our hashes: %j",
    async (stored) => {
      expect(await verifyPassword(PASSWORD, stored, CHEAP)).toEqual({ ok: false, needsRehash: false });
    },
  );
});
