/**
 * The product's apps. Every app has a manifest; an app generates once its definition
 * (schema, plan, process) is listed here in place of its announcement.
 */
import { registered } from "../generations/contract";
import { createCatalog, type CatalogEntry } from "../generations/catalog";
import { avatarCreatorApp } from "./avatar-creator/app";
import { loopingFlowApp } from "./looping-flow/app";
import { carouselMixApp } from "./carousel-mix/app";
import { poseGeneratorApp } from "./pose-generator/app";
import { videoMixerApp } from "./video-mixer/app";

export const PRODUCT_APPS: readonly [CatalogEntry, ...CatalogEntry[]] = [
  registered(avatarCreatorApp),
  registered(poseGeneratorApp),
  registered(carouselMixApp),
  registered(loopingFlowApp),
  registered(videoMixerApp),
];

export const productCatalog = createCatalog(PRODUCT_APPS);
