/** A drizzle handle over the request's D1 binding; cheap, made per use, nothing at import time. */
import { drizzle } from "drizzle-orm/d1";
import * as core from "./schema";
// Concept schema files import the core tables they reference, never the other way round.
import * as clips from "./video-clips";

const schema = { ...core, ...clips };

export const db = (d1: D1Database) => drizzle(d1, { schema });
export type Db = ReturnType<typeof db>;
