/**
 * The product's apps. Every app has a manifest; an app generates once its definition
 * (schema, plan, process) is listed here in place of its announcement.
 */
import { registered, type AppManifest } from "../generations/contract";
import { createCatalog, type CatalogEntry } from "../generations/catalog";
import { avatarCreatorApp } from "./avatar-creator/app";
import { carouselMixApp } from "./carousel-mix/app";
import { poseGeneratorApp } from "./pose-generator/app";
import { videoMixerApp } from "./video-mixer/app";

const upcoming = (id: string, name: string, description: string, icon: string, credits: Record<string, number>): AppManifest => ({
  id,
  name,
  description,
  icon,
  credits,
  limits: { maxItems: 0, ranges: {}, options: {} },
  beta: true,
  enabled: false,
});

export const PRODUCT_APPS: readonly [CatalogEntry, ...CatalogEntry[]] = [
  registered(avatarCreatorApp),
  registered(poseGeneratorApp),
  registered(carouselMixApp),
  upcoming("looping-flow", "Looping Flow", "Turn a still into a seamless looping animation.", "repeat", { loop: 20 }),
  registered(videoMixerApp),
];

export const productCatalog = createCatalog(PRODUCT_APPS);
