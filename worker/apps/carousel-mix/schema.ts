/** Carousel Mix request and stored shapes, validated at every boundary. */
import { z } from "zod";
import { HexColorSchema } from "../../media/color";
import { FONT_IDS } from "./render/fonts";
import { ASPECT_IDS } from "./render/aspects";

/** What the server enforces, published by GET /api/apps for the studio's checks. */
export const CAROUSEL_LIMITS = {
  positions: { min: 2, max: 10 },
  images: { min: 1, max: 8 },
  captions: { min: 0, max: 5 },
  caption: { min: 1, max: 200 },
  count: { min: 1, max: 50 },
  size: { min: 24, max: 160 },
} as const;
export const CAPTION_POSITIONS = ["top", "center", "bottom"] as const;
export const CAROUSEL_OPTIONS = { aspects: ASPECT_IDS, fonts: FONT_IDS, positions: CAPTION_POSITIONS } as const;

export const MIN_POSITIONS = CAROUSEL_LIMITS.positions.min;
export const MAX_POSITIONS = CAROUSEL_LIMITS.positions.max;
export const MAX_IMAGES_PER_POSITION = CAROUSEL_LIMITS.images.max;
export const MAX_CAPTIONS_PER_POSITION = CAROUSEL_LIMITS.captions.max;
export const MAX_CAROUSELS = CAROUSEL_LIMITS.count.max;
export const CAROUSEL_COST = 5;

const StyleFields = {
  font: z.enum(FONT_IDS),
  /** px at the slide's 1080 px width; long captions shrink below it to fit. */
  size: z.number().int().min(CAROUSEL_LIMITS.size.min).max(CAROUSEL_LIMITS.size.max),
  color: HexColorSchema,
  position: z.enum(CAPTION_POSITIONS),
  box: z.boolean(),
};

export const TextStyle = z.object({
  font: StyleFields.font.default("noto-sans"),
  size: StyleFields.size.default(64),
  color: StyleFields.color.default("#FFFFFF"),
  position: StyleFields.position.default("bottom"),
  box: StyleFields.box.default(true),
});
export type TextStyle = z.infer<typeof TextStyle>;

/** A caption's own style: only the fields it sets win over the generation's text style (no defaults here). */
export const CaptionStyle = z.object(StyleFields).partial().strict();

export const Caption = z.object({ text: z.string().trim().min(CAROUSEL_LIMITS.caption.min).max(CAROUSEL_LIMITS.caption.max), style: CaptionStyle.optional() }).strict();
export type Caption = z.infer<typeof Caption>;

export const Captions = z.array(Caption).max(MAX_CAPTIONS_PER_POSITION);

export const PutSlides = z
  .object({
    positions: z
      .array(z.object({ id: z.string().min(1).max(64).optional(), captions: Captions.default([]) }).strict())
      .min(MIN_POSITIONS)
      .max(MAX_POSITIONS),
  })
  .strict()
  .refine((b) => new Set(b.positions.flatMap((p) => (p.id ? [p.id] : []))).size === b.positions.filter((p) => p.id).length, {
    message: "a position id may appear only once",
    path: ["positions"],
  });

export const GenerationBody = z
  .object({
    projectId: z.string().min(1).max(64),
    count: z.number().int().min(CAROUSEL_LIMITS.count.min).max(MAX_CAROUSELS),
    aspect: z.enum(ASPECT_IDS).default("4:5"),
    textStyle: TextStyle.default(TextStyle.parse({})),
    seed: z.number().int().min(0).max(0xffffffff).optional(),
  })
  .strict();
export type GenerationBody = z.infer<typeof GenerationBody>;

/** One slide of a planned carousel: the image and caption it was given when submitted. */
export const PlannedSlide = z.object({
  positionId: z.string(),
  imageId: z.string(),
  imageKey: z.string(),
  caption: z.string().nullable(),
  style: TextStyle,
});

export const ItemParams = z.object({
  aspect: z.enum(ASPECT_IDS),
  seed: z.number().int(),
  slides: z.array(PlannedSlide).min(MIN_POSITIONS).max(MAX_POSITIONS),
});
export type ItemParams = z.infer<typeof ItemParams>;
