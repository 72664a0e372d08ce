/**
 * Bindings that count what they are asked (bench/support/counted.ts): D1 statements by kind and
 * round trip, Account calls by method and by object. Each call still goes to the real binding.
 */
import type { Account } from "../../worker/account/account";

export interface Tally {
  requests: number;
  d1Reads: number;
  d1Writes: number;
  /** Trips to the database: a batch of several statements is one. */
  d1RoundTrips: number;
  accountCalls: number;
  accountMethods: Record<string, number>;
}

export const newTally = (): Tally => ({ requests: 0, d1Reads: 0, d1Writes: 0, d1RoundTrips: 0, accountCalls: 0, accountMethods: {} });

const isRead = (sql: string) => /^\s*(select|with|pragma)\b/i.test(sql);
const EXECUTE = new Set(["first", "run", "all", "raw"]);

/** D1 statements count when they run; a batch unwraps them for the real binding. */
export function countedD1(real: D1Database, tally: Tally): D1Database {
  const originals = new WeakMap<D1PreparedStatement, D1PreparedStatement>();
  const sqlOf = new WeakMap<D1PreparedStatement, string>();
  const wrap = (statement: D1PreparedStatement, sql: string): D1PreparedStatement => {
    const proxy = new Proxy(statement, {
      get(target, name) {
        const member: unknown = Reflect.get(target, name);
        if (typeof member !== "function") return member;
        if (name === "bind") return (...values: unknown[]) => wrap(target.bind(...values), sql);
        if (typeof name === "string" && EXECUTE.has(name)) {
          return (...args: unknown[]) => {
            if (isRead(sql)) tally.d1Reads++;
            else tally.d1Writes++;
            tally.d1RoundTrips++;
            return Reflect.apply(member, target, args);
          };
        }
        return member.bind(target);
      },
    });
    originals.set(proxy, statement);
    sqlOf.set(proxy, sql);
    return proxy;
  };
  const batch = <T>(run: (statements: D1PreparedStatement[]) => Promise<D1Result<T>[]>, statements: D1PreparedStatement[]) => {
    for (const s of statements) {
      if (isRead(sqlOf.get(s) ?? "")) tally.d1Reads++;
      else tally.d1Writes++;
    }
    tally.d1RoundTrips++;
    return run(statements.map((s) => originals.get(s) ?? s));
  };
  return new Proxy(real, {
    get(target, name) {
      if (name === "prepare") return (sql: string) => wrap(target.prepare(sql), sql);
      if (name === "batch") return <T>(statements: D1PreparedStatement[]) => batch<T>((s) => target.batch<T>(s), statements);
      if (name === "exec")
        return (sql: string) => {
          tally.d1Writes++;
          tally.d1RoundTrips++;
          return target.exec(sql);
        };
      const member: unknown = Reflect.get(target, name);
      return typeof member === "function" ? member.bind(target) : member;
    },
  });
}

/** Every method called on a stub is one Account call, tallied by method and, in `objectCalls`, by object id. */
export function countedAccounts(real: DurableObjectNamespace<Account>, tally: Tally, objectCalls: Map<string, number>): DurableObjectNamespace<Account> {
  const stub = (s: DurableObjectStub<Account>, object: string) =>
    new Proxy(s, {
      get(target, name) {
        // A stub answers every name; "then" would make it look like a promise.
        if (typeof name !== "string" || name === "then") return undefined;
        const member: unknown = Reflect.get(target, name);
        if (typeof member !== "function") return member;
        return (...args: unknown[]) => {
          tally.accountCalls++;
          tally.accountMethods[name] = (tally.accountMethods[name] ?? 0) + 1;
          objectCalls.set(object, (objectCalls.get(object) ?? 0) + 1);
          return Reflect.apply(member, target, args);
        };
      },
    });
  return new Proxy(real, {
    get(target, name) {
      if (name === "get") return (id: DurableObjectId, options?: DurableObjectNamespaceGetDurableObjectOptions) => stub(target.get(id, options), id.toString());
      if (name === "getByName") return (n: string, options?: DurableObjectNamespaceGetDurableObjectOptions) => stub(target.getByName(n, options), target.idFromName(n).toString());
      const member: unknown = Reflect.get(target, name);
      return typeof member === "function" ? member.bind(target) : member;
    },
  });
}

export const countedEnv = (env: Env, tally: Tally, objectCalls: Map<string, number>): Env => ({ ...env, DB: countedD1(env.DB, tally), ACCOUNT: countedAccounts(env.ACCOUNT, tally, objectCalls) });
