/**
 * An Env whose D1 binding and Account namespace record every call the Worker makes through
 * them, for tests that count what a piece of work costs. Calls pass through unchanged; a
 * method named in `failing` throws instead, as a lost connection to the object would.
 */
import type { Account } from "../../worker/account/account";

export interface D1Call {
  /** One round trip: a single statement, or a batch. */
  statements: string[];
  writes: boolean;
}

export interface Counts {
  d1: D1Call[];
  /** Account RPC method names, in call order. */
  account: string[];
}

const WRITE = /^\s*(insert|update|delete|replace)\b/i;

function countingD1(real: D1Database, calls: D1Call[]): D1Database {
  const unwrapped = new WeakMap<object, D1PreparedStatement>();
  const sqlOf = new WeakMap<object, string>();
  const record = (statements: string[]) => calls.push({ statements, writes: statements.some((s) => WRITE.test(s)) });
  const wrap = (statement: D1PreparedStatement, sql: string): D1PreparedStatement => {
    const wrapper = {
      bind: (...values: unknown[]) => wrap(statement.bind(...values), sql),
      first: (column?: string) => {
        record([sql]);
        return column === undefined ? statement.first() : statement.first(column);
      },
      run: () => {
        record([sql]);
        return statement.run();
      },
      all: () => {
        record([sql]);
        return statement.all();
      },
      raw: (options?: { columnNames?: boolean }) => {
        record([sql]);
        return options?.columnNames ? statement.raw({ columnNames: true }) : statement.raw();
      },
    };
    unwrapped.set(wrapper, statement);
    sqlOf.set(wrapper, sql);
    return wrapper as unknown as D1PreparedStatement;
  };
  const database = {
    prepare: (sql: string) => wrap(real.prepare(sql), sql),
    batch: (statements: D1PreparedStatement[]) => {
      record(statements.map((s) => sqlOf.get(s) ?? "?"));
      return real.batch(statements.map((s) => unwrapped.get(s) ?? s));
    },
    exec: (query: string) => {
      record([query]);
      return real.exec(query);
    },
  };
  return database as unknown as D1Database;
}

function countingAccounts(real: DurableObjectNamespace<Account>, calls: string[], failing: ReadonlySet<string>): DurableObjectNamespace<Account> {
  const stub = (target: DurableObjectStub<Account>) =>
    new Proxy(target, {
      get(object, property) {
        const value: unknown = Reflect.get(object, property);
        if (typeof property !== "string" || property === "then" || typeof value !== "function") return value;
        return (...args: unknown[]) => {
          calls.push(property);
          if (failing.has(property)) return Promise.reject(new Error(`${property}: the object could not be reached`));
          return Reflect.apply(value as (...a: unknown[]) => unknown, object, args);
        };
      },
    });
  return new Proxy(real, {
    get(namespace, property) {
      if (property === "get") return (id: DurableObjectId) => stub(namespace.get(id));
      const value: unknown = Reflect.get(namespace, property);
      return typeof value === "function" ? (value as (...a: unknown[]) => unknown).bind(namespace) : value;
    },
  });
}

export function countingEnv(base: Env, failing: ReadonlySet<string> = new Set()): { overrides: Partial<Env>; counts: Counts } {
  const counts: Counts = { d1: [], account: [] };
  return { overrides: { DB: countingD1(base.DB, counts.d1), ACCOUNT: countingAccounts(base.ACCOUNT, counts.account, failing) }, counts };
}
