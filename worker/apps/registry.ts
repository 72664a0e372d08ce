/**
 * The app catalog. Every product app has a manifest; an app generates only once its
 * definition (schema, plan, process) is registered here.
 */
import type { z } from "zod";
import type { Config } from "../config/config";
import { ApiError } from "../http/errors";
import { avatarCreatorApp } from "./avatar-creator/app";
import { loopingFlowApp } from "./looping-flow/app";
import { poseGeneratorApp } from "./pose-generator/app";
import { testPipelineApp } from "./test-pipeline/app";
import { registered, type AppDefinition, type AppManifest } from "./types";

export const APP_IDS = ["avatar-creator", "pose-generator", "carousel-mix", "looping-flow", "video-mixer", "test-pipeline"] as const;
export type AppId = (typeof APP_IDS)[number];

const upcoming = (id: AppId, name: string, description: string, icon: string, credits: Record<string, number>): AppManifest => ({
  id,
  name,
  description,
  icon,
  credits,
  limits: { maxItems: 0 },
  beta: true,
  enabled: false,
});

const CATALOG: Record<AppId, AppDefinition | AppManifest> = {
  "avatar-creator": registered(avatarCreatorApp),
  "pose-generator": registered(poseGeneratorApp),
  "carousel-mix": upcoming("carousel-mix", "Carousel Mix", "Mix images and captions into ready-to-post carousels.", "layers", { carousel: 5 }),
  "looping-flow": registered(loopingFlowApp),
  "video-mixer": upcoming("video-mixer", "Video Mixer", "Combine clips into many unique video variations.", "film", { video: 15 }),
  "test-pipeline": testPipelineApp,
};

const isDefinition = (entry: AppDefinition | AppManifest): entry is AppDefinition => "plan" in entry;
const manifestOf = (entry: AppDefinition | AppManifest) => (isDefinition(entry) ? entry.manifest : entry);
const visible = (config: Config, m: AppManifest) => !m.testOnly || config.ENVIRONMENT === "test";

/** What GET /api/apps shows: product apps, plus test-only ones in the test environment. */
export function listApps(config: Config): AppManifest[] {
  return Object.values(CATALOG).map(manifestOf).filter((m) => visible(config, m));
}

export function isKnownApp(config: Config, appId: string): appId is AppId {
  const entry = CATALOG[appId as AppId];
  return entry !== undefined && visible(config, manifestOf(entry));
}

/** The definition of an app that can generate now; 404 for unknown apps, 422 for ones not open yet. */
export function generatingApp(config: Config, appId: string): AppDefinition {
  if (!isKnownApp(config, appId)) throw new ApiError("NOT_FOUND", `No app called ${appId}`);
  const entry = CATALOG[appId];
  if (!isDefinition(entry) || !entry.manifest.enabled) throw new ApiError("UNPROCESSABLE", `${manifestOf(entry).name} is not available yet`);
  return entry;
}

/** True when the app's items list their outputs (manifest `outputs: "list"`) instead of mapping them by format. */
export function outputsListed(config: Config, appId: string): boolean {
  return isKnownApp(config, appId) && manifestOf(CATALOG[appId]).outputs === "list";
}

/** Every generating app's body schema, for the OpenAPI document. */
export function generationBodies(): [z.ZodType, ...z.ZodType[]] {
  const bodies = Object.values(CATALOG).filter(isDefinition).map((d) => d.body as z.ZodType);
  return bodies as [z.ZodType, ...z.ZodType[]];
}
