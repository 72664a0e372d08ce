/** Users in D1: lookups and the public view of a row. */
import { eq } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "../db/client";
import { users } from "../db/schema";
import type { PublicUser } from "./schema";

export type UserRow = typeof users.$inferSelect;

export { UNLIMITED_TAG } from "../account/types";

const Tags = z.array(z.string().max(64)).max(32);

/** The tags column is JSON: parse it, and treat anything malformed as no tags. */
export function parseTags(raw: string): string[] {
  try {
    const parsed = Tags.safeParse(JSON.parse(raw));
    return parsed.success ? parsed.data : [];
  } catch {
    return [];
  }
}

export function toPublicUser(row: Pick<UserRow, "id" | "email" | "name" | "role" | "tags" | "createdAt">): PublicUser {
  return {
    id: row.id,
    email: row.email,
    name: row.name,
    role: row.role,
    tags: parseTags(row.tags),
    createdAt: new Date(row.createdAt).toISOString(),
  };
}

export async function findUserByEmail(database: Db, email: string): Promise<UserRow | undefined> {
  return database.select().from(users).where(eq(users.email, email)).get();
}
