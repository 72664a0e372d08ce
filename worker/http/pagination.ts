/** Keyset pagination shared by every list: `?limit=&cursor=` → `{items, nextCursor}`. */
import { z } from "zod";
import { ApiError } from "../core/errors";

export const pageQuery = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(20),
  cursor: z.string().max(200).optional(),
});

export interface Position {
  /** Sort key (newest first), e.g. created_at in ms. */
  at: number;
  /** Tie-breaker so equal timestamps never skip or repeat rows. */
  id: string;
}

export function encodeCursor(p: Position): string {
  return btoa(JSON.stringify([p.at, p.id])).replace(/=+$/, "");
}

const cursorShape = z.tuple([z.number().int(), z.string().min(1).max(128)]);

export function decodeCursor(cursor: string | undefined): Position | null {
  if (!cursor) return null;
  try {
    const [at, id] = cursorShape.parse(JSON.parse(atob(cursor)));
    return { at, id };
  } catch {
    throw new ApiError("VALIDATION_ERROR", "Invalid cursor");
  }
}

/** Rows are fetched with `limit + 1`; the extra row only says there is a next page. */
export function page<T>(rows: T[], limit: number, position: (row: T) => Position): { items: T[]; nextCursor: string | null } {
  const items = rows.slice(0, limit);
  const last = items.at(-1);
  return { items, nextCursor: rows.length > limit && last ? encodeCursor(position(last)) : null };
}
