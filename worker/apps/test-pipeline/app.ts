/**
 * A test-only app that proves the engine: each item says how it behaves (succeed, fail
 * for good, fail N times then succeed, or always fail retryably). Registered only when
 * ENVIRONMENT=test; it renders real images through the configured provider.
 */
import { z } from "zod";
import { ProviderError } from "../../ai/errors";
import type { AppDefinition } from "../types";

const Behaviour = z.union([
  z.literal("ok"),
  z.literal("fail"),
  z.literal("retry-forever"),
  z.string().regex(/^flaky:\d{1,2}$/, "flaky:N fails N attempts, then succeeds"),
]);

const Body = z.object({
  projectId: z.string().min(1).max(64),
  prompt: z.string().min(1).max(200).default("a test pattern"),
  items: z.array(Behaviour).min(1).max(20),
});

const ItemParams = z.object({ behaviour: Behaviour, prompt: z.string(), seed: z.number().int() });

export const TEST_PIPELINE_COST = 7;

export const testPipelineApp: AppDefinition = {
  manifest: {
    id: "test-pipeline",
    name: "Test pipeline",
    description: "Proves the generation engine in tests.",
    icon: "beaker",
    credits: { item: TEST_PIPELINE_COST },
    limits: { maxItems: 20 },
    beta: true,
    enabled: true,
    testOnly: true,
  },
  body: Body,
  async plan(body) {
    const { items, prompt } = Body.parse(body);
    return {
      unitCost: TEST_PIPELINE_COST,
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
    const image = await ctx.provider.generate({ prompt: params.prompt, seed: params.seed, width: 256, height: 256 }, ctx.signal);
    return [{ format: "original", ...image }];
  },
};
