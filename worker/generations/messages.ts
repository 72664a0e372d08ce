/** The generation queue's message: one per output item, validated on the way in. */
import { z } from "zod";

export const ItemMessage = z.object({
  v: z.literal(1),
  generationId: z.string().min(1).max(64),
  itemId: z.string().min(1).max(200),
  userId: z.string().min(1).max(64),
});
export type ItemMessage = z.infer<typeof ItemMessage>;

export const itemMessage = (generationId: string, itemId: string, userId: string): ItemMessage => ({ v: 1, generationId, itemId, userId });

/** Queues.sendBatch takes at most 100 messages per call. */
export const SEND_BATCH_LIMIT = 100;

/** Queue names as declared in wrangler.toml. */
export const GENERATION_QUEUE = "lumiku-generation";
export const GENERATION_DLQ = "lumiku-generation-dlq";
