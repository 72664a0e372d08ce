/** The Pose Generator's generation body (API.md) and its costs. */
import { z } from "zod";
import { HexColorSchema } from "../../media/color";
import { ExportSizeSchema } from "../../media/transform";

export const POSE_COST = 30;
export const BACKGROUND_CHANGER_COST = 10;

/** What a pose generation may ask for; the body schema and the published limits both read these. */
export const POSE_LIMITS = {
  poses: { min: 1, max: 20 },
  batch: { min: 1, max: 10 },
  prompt: { min: 3, max: 500 },
  promptWords: { min: 1, max: 100 },
  variations: { min: 1, max: 20 },
  backgroundPrompt: { min: 3, max: 300 },
  outputFormats: { min: 1, max: 4 },
} as const;
export const MAX_SELECTED_POSES = POSE_LIMITS.poses.max;

const Id = z.string().min(1).max(64);

export const PoseGenerationBody = z
  .object({
    projectId: Id,
    generationType: z.enum(["GALLERY_REFERENCE", "TEXT_DESCRIPTION"]),
    selectedPoseIds: z.array(Id).min(POSE_LIMITS.poses.min).max(POSE_LIMITS.poses.max).optional(),
    batchSize: z.number().int().min(POSE_LIMITS.batch.min).max(POSE_LIMITS.batch.max).default(1),
    textPrompt: z.string().trim().min(POSE_LIMITS.prompt.min).max(POSE_LIMITS.prompt.max).optional(),
    variationCount: z.number().int().min(POSE_LIMITS.variations.min).max(POSE_LIMITS.variations.max).default(1),
    avatarId: Id.optional(),
    useBackgroundChanger: z.boolean().default(false),
    backgroundMode: z.enum(["solid_color", "ai_generate", "upload"]).optional(),
    backgroundColor: HexColorSchema.optional(),
    backgroundPrompt: z.string().trim().min(POSE_LIMITS.backgroundPrompt.min).max(POSE_LIMITS.backgroundPrompt.max).optional(),
    backgroundUploadId: Id.optional(),
    outputFormats: z.array(ExportSizeSchema).min(POSE_LIMITS.outputFormats.min).max(POSE_LIMITS.outputFormats.max).default(["original"]),
  })
  .superRefine((b, ctx) => {
    const need = (cond: boolean, path: string, message: string) => {
      if (!cond) ctx.addIssue({ code: "custom", path: [path], message });
    };
    if (b.generationType === "GALLERY_REFERENCE") need(!!b.selectedPoseIds, "selectedPoseIds", "pick at least one pose from the library");
    if (b.generationType === "TEXT_DESCRIPTION") need(!!b.textPrompt, "textPrompt", "describe the pose you want");
    need(new Set(b.outputFormats).size === b.outputFormats.length, "outputFormats", "list each format once");
    if (b.selectedPoseIds) need(new Set(b.selectedPoseIds).size === b.selectedPoseIds.length, "selectedPoseIds", "list each pose once");
    if (b.useBackgroundChanger) {
      need(!!b.backgroundMode, "backgroundMode", "choose solid_color, ai_generate or upload");
      if (b.backgroundMode === "solid_color") need(!!b.backgroundColor, "backgroundColor", "give a colour as #RRGGBB");
      if (b.backgroundMode === "ai_generate") need(!!b.backgroundPrompt, "backgroundPrompt", "describe the background");
      if (b.backgroundMode === "upload") need(!!b.backgroundUploadId, "backgroundUploadId", "upload a background first");
    }
  });
export type PoseGenerationBody = z.output<typeof PoseGenerationBody>;

/** What each queued item carries: everything process() needs, resolved at submit time. */
export const PoseItemParams = z.object({
  prompt: z.string(),
  seed: z.number().int(),
  poseId: z.string().nullable(),
  keypoints: z.array(z.tuple([z.number(), z.number()])).nullable(),
  avatarKey: z.string().nullable(),
  background: z
    .discriminatedUnion("mode", [
      z.object({ mode: z.literal("solid_color"), color: HexColorSchema }),
      z.object({ mode: z.literal("ai_generate"), prompt: z.string() }),
      z.object({ mode: z.literal("upload"), key: z.string() }),
    ])
    .nullable(),
  outputFormats: z.array(ExportSizeSchema),
});
export type PoseItemParams = z.infer<typeof PoseItemParams>;
