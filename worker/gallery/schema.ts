/** The gallery's query, item view and ZIP request (API.md, Account). */
import { z } from "zod";
import { ITEM_STATUSES } from "../db/schema";
import { ItemView } from "../generations/view";
import { pageQuery } from "../http/pagination";

/** Most outputs one ZIP download takes (POST /api/gallery/zip). */
export const GALLERY_ZIP_MAX_ITEMS = 50;

const DAY_MS = 86_400_000;
/** A UTC day as YYYY-MM-DD; its first millisecond. */
const Day = z.iso.date().transform((d) => Date.parse(`${d}T00:00:00Z`));

export const galleryQuery = (appIds: [string, ...string[]]) =>
  pageQuery
    .extend({
      appId: z.enum(appIds).optional(),
      favorite: z
        .enum(["true", "false"])
        .transform((v) => v === "true")
        .optional(),
      /** Item status; outputs exist only for completed items, so that is the default. */
      status: z.enum(ITEM_STATUSES).default("completed"),
      /** From this UTC day on (inclusive). */
      from: Day.optional(),
      /** Up to this UTC day (inclusive). */
      to: Day.transform((start) => start + DAY_MS).optional(),
      /** Part of the prompt, matched literally (`%` and `_` are plain characters). */
      q: z.string().trim().min(1).max(100).optional(),
    })
    .refine((v) => v.from === undefined || v.to === undefined || v.from < v.to, { message: "`from` must not be after `to`", path: ["from"] });

export type GalleryFilters = z.output<ReturnType<typeof galleryQuery>>;

export const GalleryItem = ItemView.extend({
  generationId: z.string(),
  appId: z.string(),
  projectId: z.string(),
  /** The user's prompt when the app took one. */
  prompt: z.string().nullable(),
  createdAt: z.string(),
});
export type GalleryItem = z.infer<typeof GalleryItem>;

export const GalleryPage = z.object({ items: z.array(GalleryItem), nextCursor: z.string().nullable() });

export const ZipRequest = z.object({
  items: z
    .array(z.object({ generationId: z.string().min(1).max(64), key: z.string().min(1).max(64) }))
    .min(1)
    .max(GALLERY_ZIP_MAX_ITEMS)
    .refine((items) => new Set(items.map((i) => `${i.generationId}\n${i.key}`)).size === items.length, { message: "each output at most once" }),
});
