/**
 * Carousel Mix on the generation engine: one item per carousel (5 credits each). The plan
 * picks distinct combinations from the project's positions by the seed and freezes each
 * carousel's images and captions into its item; processing renders its slides.
 */
import { ApiError } from "../../core/errors";
import { MediaError } from "../../media/errors";
import { type AppDefinition, type ItemOutput, PermanentItemError } from "../../generations/contract";
import { chooseCombinations, countCombinations } from "./combinations";
import { carouselItemView } from "./item-view";
import { slideFormat } from "./outputs";
import { type Position, loadPositions } from "./positions";
import { renderSlide } from "./render/slide";
import { CAROUSEL_COST, CAROUSEL_LIMITS, CAROUSEL_OPTIONS, GenerationBody, ItemParams, MAX_CAROUSELS, TextStyle } from "./schema";

export const CAROUSEL_APP_ID = "carousel-mix";

/** Positions ready to mix: every one needs an image. */
function mixablePositions(positions: Position[]): Position[] {
  const empty = positions.findIndex((p) => p.images.length === 0);
  if (positions.length < CAROUSEL_LIMITS.positions.min) throw new ApiError("UNPROCESSABLE", `A carousel needs at least ${CAROUSEL_LIMITS.positions.min} slide positions`);
  if (empty >= 0) throw new ApiError("UNPROCESSABLE", `Slide ${empty + 1} has no image yet; upload at least one per slide`);
  return positions;
}

export const carouselMixApp: AppDefinition<GenerationBody> = {
  manifest: {
    id: CAROUSEL_APP_ID,
    name: "Carousel Mix",
    description: "Mix images and captions into ready-to-post carousels.",
    icon: "layers",
    credits: { carousel: CAROUSEL_COST },
    limits: { maxItems: MAX_CAROUSELS, ranges: CAROUSEL_LIMITS, options: CAROUSEL_OPTIONS },
    beta: true,
    enabled: true,
  },
  body: GenerationBody,
  async plan(raw, ctx) {
    const body = GenerationBody.parse(raw);
    const positions = mixablePositions(await loadPositions(ctx.db, ctx.user.id, ctx.projectId));
    const choices = positions.map((p) => ({ images: p.images.length, captions: p.captions.length }));
    const total = countCombinations(choices);
    if (body.count > total) {
      throw new ApiError("UNPROCESSABLE", `Only ${total} distinct carousels can be made from these slides; ask for at most ${total}`, { maximum: total, requested: body.count });
    }
    const seed = body.seed ?? crypto.getRandomValues(new Uint32Array(1))[0]!;
    return {
      unitCost: CAROUSEL_COST,
      quotaEligible: false,
      items: chooseCombinations(choices, body.count, seed).map((combination, i) => ({
        key: `carousel-${i + 1}`,
        params: {
          aspect: body.aspect,
          seed,
          slides: combination.map((c, slide) => {
            const position = positions[slide]!;
            const image = position.images[c.image]!;
            const caption = c.caption === null ? null : position.captions[c.caption]!;
            return {
              positionId: position.row.id,
              imageId: image.id,
              imageKey: image.imageKey,
              caption: caption?.text ?? null,
              style: TextStyle.parse({ ...body.textStyle, ...caption?.style }),
            };
          }),
        } satisfies ItemParams,
      })),
    };
  },
  async process(raw, ctx) {
    const params = ItemParams.parse(raw);
    const outputs: ItemOutput[] = [];
    // One slide at a time: only one decoded photo is alive in the isolate at once.
    for (const [i, slide] of params.slides.entries()) {
      const object = await ctx.env.FILES.get(slide.imageKey);
      if (!object) throw new PermanentItemError(`Slide ${i + 1}'s image was deleted before it was rendered; not charged`);
      try {
        const rendered = await renderSlide(new Uint8Array(await object.arrayBuffer()), slide.caption, slide.style, params.aspect);
        outputs.push({ format: slideFormat(i + 1), ...rendered });
      } catch (e) {
        if (e instanceof MediaError) throw new PermanentItemError(`Slide ${i + 1} could not be rendered: ${e.message}`);
        throw e;
      }
    }
    return outputs;
  },
  viewItem: (config, generationId, item) => carouselItemView(config, generationId, item),
};
