/**
 * A test-only app that proves the engine: each item says how it behaves (succeed, fail
 * for good, fail N times then succeed, always fail retryably, or crash its first claim).
 * Only the test entry (test/support/worker.ts) lists it; it renders real images through the
 * configured provider.
 */
import { and, eq } from "drizzle-orm";
import { z } from "zod";
import { ProviderError } from "../../worker/ai/errors";
import { generationItems } from "../../worker/db/schema";
import type { AppDefinition, ItemOutput, ProcessContext } from "../../worker/generations/contract";
import { costOf } from "../../worker/generations/models";

const Behaviour = z.union([
  z.literal("ok"),
  z.literal("fail"),
  z.literal("retry-forever"),
  z.literal("crash-after-claim"),
  z.string().regex(/^flaky:\d{1,2}$/, "flaky:N fails N attempts, then succeeds"),
]);

const Body = z.object({
  projectId: z.string().min(1).max(64),
  prompt: z.string().min(1).max(200).default("a test pattern"),
  items: z.array(Behaviour).min(1).max(20),
});

const ItemParams = z.object({ behaviour: Behaviour, prompt: z.string(), seed: z.number().int() });

export const TEST_PIPELINE_COST = 7;

/**
 * How many times the consumer has claimed this item. A message's attempts start again at 1
 * when recovery re-sends it, so only the item's own count tells its first claim apart.
 */
async function claimsOf(ctx: ProcessContext): Promise<number> {
  const row = await ctx.db
    .select({ attempts: generationItems.attempts })
    .from(generationItems)
    .where(and(eq(generationItems.generationId, ctx.generationId), eq(generationItems.key, ctx.itemKey)))
    .get();
  return row?.attempts ?? 0;
}

/**
 * Bytes that are no image: storing them fails after the claim and before the settle, where
 * a crashed isolate leaves an item. It stays processing under its lease, its message is
 * retried into a delivery that finds the lease held and lets go, and only recovery, once
 * the lease has run out, hands it on.
 */
const crashedOutput = (): ItemOutput => ({ format: "original", bytes: new Uint8Array(16), contentType: "image/png", width: 256, height: 256 });

export const testPipelineApp: AppDefinition = {
  manifest: {
    id: "test-pipeline",
    name: "Test pipeline",
    description: "Proves the generation engine in tests.",
    icon: "beaker",
    credits: { item: TEST_PIPELINE_COST },
    // A paid model on the offline provider proves tiers and model prices.
    models: [{ id: "pro-test", name: "Procedural (pro test)", provider: "procedural", tier: "pro", credits: { item: 9 }, default: false }],
    limits: { maxItems: 20, ranges: {}, options: {} },
    beta: true,
    enabled: true,
  },
  body: Body,
  prompt: (body) => Body.parse(body).prompt,
  async plan(body, { credits }) {
    const { items, prompt } = Body.parse(body);
    return {
      unitCost: costOf(credits, "item"),
      quotaEligible: false,
      items: items.map((behaviour, i) => ({ key: `item-${i}`, params: { behaviour, prompt, seed: i + 1 } })),
    };
  },
  async process(raw, ctx) {
    const params = ItemParams.parse(raw);
    const flaky = /^flaky:(\d+)$/.exec(params.behaviour);
    if (params.behaviour === "fail") throw new ProviderError("refused by the test provider", { retryable: false, provider: "test" });
    if (params.behaviour === "retry-forever" || (flaky && ctx.attempt <= Number(flaky[1]))) {
      throw new ProviderError(`test provider busy (attempt ${ctx.attempt})`, { retryable: true, provider: "test", status: 503 });
    }
    if (params.behaviour === "crash-after-claim" && (await claimsOf(ctx)) === 1) return [crashedOutput()];
    const image = await ctx.provider.generate({ prompt: params.prompt, seed: params.seed, width: 256, height: 256 }, ctx.signal);
    return [{ format: "original", ...image }];
  },
};
