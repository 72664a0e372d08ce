/**
 * The benchmarks' Worker with its calls counted (`bench/calls`, `bench/scale`): the same product,
 * handed an env whose DB and ACCOUNT bindings count what each request asks of them, so the
 * product code runs unchanged. A request names its route in `X-Bench-Route`; the queue consumer
 * and the Account objects' own D1 use (projection, hold expiry) get labels of their own.
 * `GET /__bench/calls` returns the tallies and the Account calls per object (`?reset=1` clears them).
 */
import { countedD1, countedEnv, newTally, type Tally } from "./counting";
import worker, { Account as ProductAccount } from "./worker";

const tallies = new Map<string, Tally>();
/** Account calls per object (by id): how evenly the load spreads over the users' objects. */
const objectCalls = new Map<string, number>();

function tallyOf(label: string): Tally {
  let tally = tallies.get(label);
  if (!tally) {
    tally = newTally();
    tallies.set(label, tally);
  }
  return tally;
}

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
    return worker.fetch(request, countedEnv(env, tally, objectCalls), ctx);
  },
  queue(batch, env, ctx) {
    const tally = tallyOf("queue consumer (per message)");
    tally.requests += batch.messages.length;
    return worker.queue(batch, countedEnv(env, tally, objectCalls), ctx);
  },
  scheduled: (controller, env, ctx) => worker.scheduled(controller, countedEnv(env, tallyOf("cron"), objectCalls), ctx),
} satisfies ExportedHandler<Env>;
