/** What the Account object pushes to a user's sockets (API.md, Realtime); the SPA imports this type. */
import type { GENERATION_STATUSES, ITEM_STATUSES } from "../db/schema";

export type GenerationStatus = (typeof GENERATION_STATUSES)[number];
type ItemStatus = (typeof ITEM_STATUSES)[number];

export type RealtimeEvent =
  | { type: "credits.changed"; balance: number; held: number; available: number }
  | {
      type: "generation.progress";
      /** Server time (ms) the event was made, for latency measurements. */
      at: number;
      generationId: string;
      status: GenerationStatus;
      completed: number;
      failed: number;
      total: number;
      item: { key: string; status: ItemStatus; thumbnailUrl: string | null };
    }
  | { type: "generation.finished"; at: number; generationId: string; status: GenerationStatus; charged: number | null; refunded: number | null };

export type ProgressEvent = Extract<RealtimeEvent, { type: "generation.progress" }>;
