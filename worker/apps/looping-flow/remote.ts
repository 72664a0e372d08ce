/**
 * The remote path: an image-to-video model animates the still, and its clip is stored as it
 * came back (MP4 or WebM), beside a poster made from the still at the loop's size.
 */
import { createHuggingFaceVideoProvider, DEFAULT_VIDEO_MODEL, type VideoProvider } from "../../ai/video/provider";
import type { Config } from "../../config/config";
import { encodeRgba } from "../../media/encode";
import type { RgbaImage } from "../../media/rgba";
import { coverResize } from "../../media/transform";
import type { ItemOutput } from "../../generations/contract";
import type { EffectName } from "./effects";
import { loopDimensions, opaqueStill, POSTER_QUALITY } from "./render";
import type { LoopItemParams } from "./schema";

/** What each effect asks of a model that only reads text. */
const MOTION_PROMPTS: Record<EffectName, string> = {
  "zoom-pulse": "slow smooth zoom in and back out, seamless loop",
  pan: "slow camera pan from side to side, seamless loop",
  sway: "gentle swaying motion as if in a light breeze, seamless loop",
  ripple: "soft ripples spreading outward from the centre, seamless loop",
  parallax: "subtle parallax camera move, subject in front of the background, seamless loop",
};

/** The configured image-to-video model, or null for the offline effects (the default). */
export function loopProviderFor(config: Config): VideoProvider | null {
  if (config.LOOP_PROVIDER !== "huggingface") return null;
  // loadConfig refuses LOOP_PROVIDER=huggingface without HF_TOKEN.
  return createHuggingFaceVideoProvider({ token: config.HF_TOKEN!, model: config.LOOP_MODEL ?? DEFAULT_VIDEO_MODEL });
}

export async function animateRemotely(params: LoopItemParams, still: RgbaImage, provider: VideoProvider, seed: number, signal: AbortSignal): Promise<ItemOutput[]> {
  const { width, height } = loopDimensions(still, params.size);
  const poster = encodeRgba(coverResize(opaqueStill(still), width, height), { format: "jpeg", quality: POSTER_QUALITY });
  const fps = Math.round((params.frames * 1000) / params.durationMs);
  const strength = params.intensity >= 0.7 ? "strong" : params.intensity >= 0.4 ? "moderate" : "subtle";
  const video = await provider.animate({ image: poster.bytes, prompt: `${strength} ${MOTION_PROMPTS[params.effect]}`, width, height, frames: params.frames, fps, seed }, signal);
  // Frames and duration are what was asked for: the clip itself is stored unparsed.
  return [
    { format: video.format, bytes: video.bytes, contentType: video.contentType, width, height, frames: params.frames, durationMs: params.durationMs },
    { format: "poster", ...poster },
  ];
}
