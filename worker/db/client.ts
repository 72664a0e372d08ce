/** A drizzle handle over the request's D1 binding; cheap, made per use, nothing at import time. */
import { drizzle } from "drizzle-orm/d1";
import * as schema from "./schema";

export const db = (d1: D1Database) => drizzle(d1, { schema });
export type Db = ReturnType<typeof db>;
