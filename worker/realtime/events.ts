/** What the Account object pushes to a user's sockets (API.md, Realtime); the SPA imports this type. */
import type { GenerationView } from "../generations/view";

type ItemStatus = NonNullable<GenerationView["items"]>[number]["status"];

export type RealtimeEvent =
  | { type: "credits.changed"; balance: number; held: number; available: number }
  | {
      type: "generation.progress";
      /** Server time (ms) the event was made, for latency measurements. */
      at: number;
      generationId: string;
      status: GenerationView["status"];
      completed: number;
      failed: number;
      total: number;
      item: { key: string; status: ItemStatus; thumbnailUrl: string | null };
    }
  | { type: "generation.finished"; at: number; generationId: string; status: GenerationView["status"]; charged: number | null; refunded: number | null };
