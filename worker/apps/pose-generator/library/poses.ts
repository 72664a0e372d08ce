/** Reading the pose library from D1: search, categories, one pose. Rows are validated on the way out. */
import { and, asc, count, eq, gt, inArray, or, sql, type SQL } from "drizzle-orm";
import { z } from "zod";
import { KeypointsSchema, type Keypoints } from "../../../ai/skeleton";
import type { Db } from "../../../db/client";
import { poses } from "../../../db/schema";
import { notFound } from "../../../core/errors";
import type { Position } from "../../../http/pagination";
import { CATEGORY_IDS, CATEGORY_NAMES, type CategoryId, DIFFICULTIES } from "./catalog";

const json = <S extends z.ZodType>(schema: S) =>
  z
    .string()
    .transform((text, ctx) => {
      try {
        return JSON.parse(text) as unknown;
      } catch {
        ctx.addIssue({ code: "custom", message: "not JSON" });
        return z.NEVER;
      }
    })
    .pipe(schema);

const PoseRow = z.object({
  id: z.string(),
  name: z.string(),
  category: z.enum(CATEGORY_IDS),
  difficulty: z.enum(DIFFICULTIES),
  tags: json(z.array(z.string())),
  keypoints: json(KeypointsSchema),
  position: z.number().int(),
});

export type Pose = z.output<typeof PoseRow>;

/**
 * Name or any tag contains `text` literally, ignoring ASCII case. `instr` has no wildcards, so
 * `%`, `_`, `\` and quotes need no escaping; LIKE would, and D1 refuses LIKE patterns over 50
 * bytes, which a 100-character search exceeds. The text is a bound parameter, never spliced.
 */
function matches(text: string): SQL {
  return or(sql`instr(lower(${poses.name}), lower(${text})) > 0`, sql`exists (select 1 from json_each(${poses.tags}) where instr(lower(json_each.value), lower(${text})) > 0)`)!;
}

export interface PoseQuery {
  search?: string;
  category?: CategoryId;
  after: Position | null;
  limit: number;
}

/** One page in catalog order; fetches `limit + 1` rows so the caller can tell whether more follow. */
export async function searchPoses(database: Db, q: PoseQuery): Promise<Pose[]> {
  const rows = await database
    .select()
    .from(poses)
    .where(
      and(
        q.search ? matches(q.search) : undefined,
        q.category ? eq(poses.category, q.category) : undefined,
        q.after ? or(gt(poses.position, q.after.at), and(eq(poses.position, q.after.at), gt(poses.id, q.after.id))) : undefined,
      ),
    )
    .orderBy(asc(poses.position), asc(poses.id))
    .limit(q.limit + 1);
  return rows.map((r) => PoseRow.parse(r));
}

/** Every known category with its pose count (zero included), in one grouped query. */
export async function categoryCounts(database: Db): Promise<Array<{ id: CategoryId; name: string; count: number }>> {
  const rows = await database.select({ category: poses.category, count: count() }).from(poses).groupBy(poses.category);
  const counts = new Map(rows.map((r) => [r.category, r.count]));
  return CATEGORY_IDS.map((id) => ({ id, name: CATEGORY_NAMES[id], count: counts.get(id) ?? 0 }));
}

/** Poses with their keypoints by id; ids that do not exist are simply absent from the map. */
export async function findPoses(database: Db, ids: readonly string[]): Promise<Map<string, Pose>> {
  if (ids.length === 0) return new Map();
  const rows = await database
    .select()
    .from(poses)
    .where(inArray(poses.id, [...new Set(ids)]));
  return new Map(rows.map((r) => [r.id, PoseRow.parse(r)]));
}

export async function getPose(database: Db, id: string): Promise<Pose> {
  const pose = (await findPoses(database, [id])).get(id);
  if (!pose) throw notFound("Pose");
  return pose;
}

/**
 * A library pose's COCO-17 keypoints, for the Pose Generator. Library poses are public content,
 * so there is no per-user scoping; an unknown id is a 404.
 */
export async function loadPoseKeypoints(database: Db, poseId: string): Promise<Keypoints> {
  return (await getPose(database, poseId)).keypoints;
}
