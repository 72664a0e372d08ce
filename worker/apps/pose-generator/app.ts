/**
 * The Pose Generator on the generation engine: gallery poses × batch size, or a text
 * prompt × variations; optional avatar conditioning, background changer and export sizes.
 * Everything an item needs (keypoints, avatar and background keys) is resolved and
 * ownership-checked at submit time, so process() only renders.
 */
import { ProviderError } from "../../ai/errors";
import type { Keypoints } from "../../ai/skeleton";
import { ApiError } from "../../core/errors";
import { replaceBackground } from "../../media/composite";
import type { EncodedImage } from "../../media/encode";
import { EXPORT_SIZES, exportImage } from "../../media/transform";
import { findUploadKey } from "../../uploads/stills";
import { loadOwnedAvatar } from "../avatar-creator/avatars";
import type { AppDefinition, ItemOutput, PlannedItem, ProcessContext } from "../../generations/contract";
import { findPoses, searchPoses } from "./library/poses";
import { checkPosePrompt } from "./prompt";
import { SDXL_HF } from "../../ai/huggingface";
import { FLUX_SCHNELL } from "../../ai/workers-ai";
import { costOf, paidModel } from "../../generations/models";
import { BACKGROUND_CHANGER_COST, POSE_COST, POSE_LIMITS, PoseGenerationBody, PoseItemParams } from "./schema";

export const POSE_WIDTH = 768;
export const POSE_HEIGHT = 1024;

async function readR2(files: R2Bucket, key: string, what: string): Promise<Uint8Array> {
  const object = await files.get(key);
  // The file vanished after submit (project deleted): retrying cannot bring it back.
  if (!object) throw new ProviderError(`${what} is no longer available`, { retryable: false, provider: "pose-generator" });
  return new Uint8Array(await object.arrayBuffer());
}

async function render(params: PoseItemParams, ctx: ProcessContext): Promise<EncodedImage> {
  const initImage = params.avatarKey ? await readR2(ctx.env.FILES, params.avatarKey, "The avatar") : null;
  const subject = await ctx.provider.generate(
    {
      prompt: params.prompt,
      seed: params.seed,
      width: POSE_WIDTH,
      height: POSE_HEIGHT,
      pose: params.keypoints as Keypoints | null,
      initImage,
      background: params.background ? "transparent" : "scene",
    },
    ctx.signal,
  );
  const bg = params.background;
  if (!bg) return subject;
  if (bg.mode === "solid_color") return replaceBackground(subject, { color: bg.color });
  const backdrop =
    bg.mode === "upload"
      ? await readR2(ctx.env.FILES, bg.key, "The background upload")
      : await ctx.provider.generate({ prompt: bg.prompt, seed: params.seed, width: POSE_WIDTH, height: POSE_HEIGHT, background: "scene" }, ctx.signal);
  return replaceBackground(subject, { image: backdrop });
}

export const poseGeneratorApp: AppDefinition<PoseGenerationBody> = {
  manifest: {
    id: "pose-generator",
    name: "Pose Generator",
    description: "Poses from a library gallery or a text prompt, with backgrounds and export sizes.",
    icon: "figure",
    credits: { pose: POSE_COST, backgroundChanger: BACKGROUND_CHANGER_COST },
    models: [
      paidModel("flux-schnell", "FLUX.1 schnell", "workers-ai", FLUX_SCHNELL, "pro", { pose: 40, backgroundChanger: BACKGROUND_CHANGER_COST }),
      paidModel("sdxl", "Stable Diffusion XL", "huggingface", SDXL_HF, "enterprise", { pose: 60, backgroundChanger: BACKGROUND_CHANGER_COST }),
    ],
    limits: { maxItems: 200, ranges: POSE_LIMITS, options: { exportSizes: Object.keys(EXPORT_SIZES) } },
    beta: false,
    enabled: true,
  },
  body: PoseGenerationBody,
  prompt: (body) => body.textPrompt ?? null,
  async plan(body, { env, db, user, projectId, credits }) {
    const avatarKey = body.avatarId ? (await loadOwnedAvatar(db, user.id, body.avatarId)).imageKey : null;
    let background: PoseItemParams["background"] = null;
    if (body.useBackgroundChanger) {
      if (body.backgroundMode === "solid_color") background = { mode: "solid_color", color: body.backgroundColor! };
      else if (body.backgroundMode === "ai_generate") background = { mode: "ai_generate", prompt: checkBackgroundPrompt(body.backgroundPrompt!) };
      else background = { mode: "upload", key: await findUploadKey(env.FILES, { userId: user.id, projectId, kind: "backgrounds", id: body.backgroundUploadId! }, "Background upload") };
    }
    const shared = { avatarKey, background, outputFormats: body.outputFormats };
    const items: PlannedItem[] = [];
    if (body.generationType === "GALLERY_REFERENCE") {
      const ids = body.selectedPoseIds!;
      const found = await findPoses(db, ids);
      const missing = ids.filter((id) => !found.has(id));
      if (missing.length > 0) throw new ApiError("UNPROCESSABLE", `Unknown pose(s): ${missing.join(", ")}; pick poses from the library`);
      for (const id of ids) {
        const pose = found.get(id)!;
        for (let n = 0; n < body.batchSize; n++) {
          items.push({ key: `${id}.${n}`, params: { ...shared, prompt: `${pose.name}: ${pose.tags.join(", ")}`, seed: n + 1, poseId: id, keypoints: pose.keypoints } });
        }
      }
    } else {
      const prompt = checkPosePrompt(body.textPrompt!);
      // The closest library pose gives the offline provider a skeleton to draw; remote models read the text.
      const match = await closestPose(db, prompt);
      for (let n = 0; n < body.variationCount; n++) {
        items.push({ key: `text.${n}`, params: { ...shared, prompt, seed: n + 1, poseId: match?.id ?? null, keypoints: match?.keypoints ?? null } });
      }
    }
    return { items, unitCost: costOf(credits, "pose") + (body.useBackgroundChanger ? costOf(credits, "backgroundChanger") : 0), quotaEligible: true };
  },
  async process(raw, ctx) {
    const params = PoseItemParams.parse(raw);
    const composed = await render(params, ctx);
    const outputs: ItemOutput[] = [];
    for (const format of params.outputFormats) {
      outputs.push({ format, ...(await exportImage(composed, format)) });
    }
    return outputs;
  },
};

function checkBackgroundPrompt(prompt: string): string {
  const clean = prompt.normalize("NFC").trim();
  if (/<\s*\/?\s*[a-z!]|javascript\s*:|\bon[a-z]+\s*=/i.test(clean)) {
    throw new ApiError("UNPROCESSABLE", "The background prompt may not contain HTML or scripts");
  }
  return clean;
}

const MATCH_WORDS = 8;

/** The first library pose whose name or tags share a word with the prompt (deterministic). */
async function closestPose(db: ProcessContext["db"], prompt: string) {
  const words = [...new Set(prompt.toLowerCase().match(/[\p{L}]{4,}/gu) ?? [])].slice(0, MATCH_WORDS);
  for (const word of words) {
    const [hit] = await searchPoses(db, { search: word, after: null, limit: 1 });
    if (hit) return hit;
  }
  return null;
}
