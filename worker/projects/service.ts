/** Project ownership and removal: every lookup is scoped to its owner. */
import { and, eq } from "drizzle-orm";
import type { Db } from "../db/client";
import { projects } from "../db/schema";
import { notFound } from "../core/errors";
import { projectPrefix } from "../storage/keys";

export type ProjectRow = typeof projects.$inferSelect;

export const projectView = (p: ProjectRow) => ({
  id: p.id,
  appId: p.appId,
  name: p.name,
  description: p.description,
  createdAt: new Date(p.createdAt).toISOString(),
  updatedAt: new Date(p.updatedAt).toISOString(),
});

/** The user's project, or 404 — another user's project is indistinguishable from none. */
export async function ownedProject(database: Db, userId: string, projectId: string, appId?: string): Promise<ProjectRow> {
  const row = await database
    .select()
    .from(projects)
    .where(and(eq(projects.id, projectId), eq(projects.userId, userId), appId ? eq(projects.appId, appId) : undefined))
    .get();
  if (!row) throw notFound("Project");
  return row;
}

/** Deletes every R2 object under the project's prefix (R2 lists at most 1000 per page). */
export async function deleteProjectFiles(files: R2Bucket, userId: string, projectId: string): Promise<number> {
  const prefix = projectPrefix(userId, projectId);
  let deleted = 0;
  let cursor: string | undefined;
  do {
    const listing = await files.list({ prefix, cursor, limit: 1000 });
    const keys = listing.objects.map((o) => o.key);
    if (keys.length > 0) await files.delete(keys);
    deleted += keys.length;
    cursor = listing.truncated ? listing.cursor : undefined;
  } while (cursor);
  return deleted;
}
