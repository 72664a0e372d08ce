/** A D1 binding that records every statement the Worker sends through it, for tests that prove a route never touches D1. */
import { env } from "cloudflare:test";
import { envWith } from "./direct";

export interface CountedEnv {
  env: Env;
  /** The SQL of every statement prepared or executed, in order; `batch` only runs prepared ones. */
  queries: string[];
}

export function countingD1(): CountedEnv {
  const queries: string[] = [];
  const inner = env.DB;
  const db = new Proxy(inner, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver);
      if (typeof value !== "function") return value;
      return (...args: unknown[]) => {
        if (prop === "prepare" || prop === "exec") queries.push(String(args[0]));
        else if (prop !== "batch") queries.push(`<${String(prop)}>`);
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
  return { env: envWith({ DB: db }), queries };
}
