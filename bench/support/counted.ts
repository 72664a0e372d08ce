/**
 * The benchmarks' Worker with its calls counted (`bench/calls`, `bench/scale`): the same product,
 * handed an env whose DB and ACCOUNT bindings count what each request asks of them, so the
 * product code runs unchanged. A request names its route in `X-Bench-Route`; the queue consumer
 * and the Account objects' own D1 use (projection, hold expiry) get labels of their own.
 * `GET /__bench/calls` returns the tallies and the Account calls per object (`?reset=1` clears them).
 */
import worker, { Account as ProductAccount } from "./worker";

interface Tally {
  requests: number;
  d1Reads: number;
  d1Writes: number;
  /** Trips to the database: a batch of several statements is one. */
  d1RoundTrips: number;
  accountCalls: number;
  accountMethods: Record<string, number>;
}

const tallies = new Map<string, Tally>();
/** Account calls per object (by id): how evenly the load spreads over the users' objects. */
const objectCalls = new Map<string, number>();

function tallyOf(label: string): Tally {
  let tally = tallies.get(label);
  if (!tally) {
    tally = { requests: 0, d1Reads: 0, d1Writes: 0, d1RoundTrips: 0, accountCalls: 0, accountMethods: {} };
    tallies.set(label, tally);
  }
  return tally;
}

const isRead = (sql: string) => /^\s*(select|with|pragma)\b/i.test(sql);
const EXECUTE = new Set(["first", "run", "all", "raw"]);

/** D1 statements count when they run; a batch unwraps them for the real binding. */
function countedD1(real: D1Database, tally: Tally): D1Database {
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

/** Every method called on a stub of the Account namespace is one Account call. */
function countedAccounts(real: DurableObjectNamespace<ProductAccount>, tally: Tally): DurableObjectNamespace<ProductAccount> {
  const stub = (s: DurableObjectStub<ProductAccount>, object: string) =>
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

const countedEnv = (env: Env, tally: Tally): Env => ({ ...env, DB: countedD1(env.DB, tally), ACCOUNT: countedAccounts(env.ACCOUNT, tally) });

/** The Account objects' own D1 use (balance projection, hold expiry), counted under one label. */
export class Account extends ProductAccount {
  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, { ...env, DB: countedD1(env.DB, tallyOf("Account object (alarm)")) });
  }
}

const ROUTE_LABEL = /^[\w .:/-]{1,80}$/;

export default {
  fetch(request, env, ctx) {
    const url = new URL(request.url);
    if (url.pathname === "/__bench/calls") {
      const calls = [...objectCalls.values()];
      const body = { routes: Object.fromEntries(tallies), objects: { count: calls.length, calls: calls.reduce((a, b) => a + b, 0), busiest: Math.max(0, ...calls) } };
      if (url.searchParams.get("reset") === "1") {
        tallies.clear();
        objectCalls.clear();
      }
      return Response.json(body);
    }
    const named = request.headers.get("X-Bench-Route") ?? "";
    const tally = tallyOf(ROUTE_LABEL.test(named) ? named : "unlabelled");
    tally.requests++;
    return worker.fetch(request, countedEnv(env, tally), ctx);
  },
  queue(batch, env, ctx) {
    const tally = tallyOf("queue consumer (per message)");
    tally.requests += batch.messages.length;
    return worker.queue(batch, countedEnv(env, tally), ctx);
  },
  scheduled: (controller, env, ctx) => worker.scheduled(controller, countedEnv(env, tallyOf("cron")), ctx),
} satisfies ExportedHandler<Env>;
