/** The contract every app implements; the generation engine knows apps only through it. */
import type { z } from "zod";
import type { Tier } from "../account/types";
import type { ImageProvider } from "../ai/provider";
import type { ProviderName } from "../ai/select";
import type { Config } from "../config/config";
import type { Db } from "../db/client";
import type { AuthUser } from "../http/context";
import type { generationItems } from "../db/schema";
import type { RgbaImage } from "../media/rgba";

/** An inclusive range a form can check as the user types. */
export interface Range {
  min: number;
  max: number;
}

/**
 * The limits an app's server enforces, published by GET /api/apps so the studio checks
 * exactly these (never a copy): its item maximum, named ranges (lengths, counts) and named
 * option lists (e.g. export sizes).
 */
export interface AppLimits {
  maxItems: number;
  ranges: Record<string, Range>;
  options: Record<string, readonly string[]>;
}

/**
 * A model an app generates with: its provider, the tier that may use it and its price per
 * action. Every app has the free "standard" model (generations/models.ts); paid ones are
 * configured entries in the app's manifest.
 */
export interface ModelDefinition {
  id: string;
  name: string;
  provider: ProviderName;
  /** The provider's own model id (the standard model uses AI_MODEL or the provider's default). */
  providerModel?: string;
  tier: Tier;
  /** Action → credits, like the manifest's. */
  credits: Record<string, number>;
  default: boolean;
}

export interface AppManifest {
  id: string;
  name: string;
  description: string;
  icon: string;
  /** Action → credits, as published by GET /api/apps. */
  credits: Record<string, number>;
  limits: AppLimits;
  beta: boolean;
  enabled: boolean;
  /** Paid models beyond the standard one, each for a plan's tier. */
  models?: ModelDefinition[];
}

export interface PlannedItem {
  /** Deterministic within the generation; names the item's outputs in R2. */
  key: string;
  params: Record<string, unknown>;
}

export interface Plan {
  items: PlannedItem[];
  /** Credits per item; the hold is items × unitCost. */
  unitCost: number;
  /** Items may be covered by the user's daily pose quota. */
  quotaEligible: boolean;
}

export interface PlanContext {
  env: Env;
  db: Db;
  config: Config;
  user: Pick<AuthUser, "id">;
  projectId: string;
  /** The chosen model's prices (action → credits): the cost comes from the model. */
  credits: Record<string, number>;
}

interface OutputBase {
  /** e.g. "original", "instagram_post", "thumbnail". */
  format: string;
  contentType: string;
  width: number;
  height: number;
  /** Animations: frame count and total duration. */
  frames?: number;
  durationMs?: number;
}

/** Bytes the engine writes under the item's output key. */
export interface ItemOutputBytes extends OutputBase {
  bytes: Uint8Array;
  /** The pixels, when the app still holds them (EncodedImage.pixels): the preview starts from them. Never stored. */
  pixels?: RgbaImage;
}

/** An output the app already streamed to R2 under its output key (too large to hold in memory). */
export interface ItemOutputStored extends OutputBase {
  stored: { key: string; sizeBytes: number };
  durationMs: number;
}

export type ItemOutput = ItemOutputBytes | ItemOutputStored;

export interface ProcessContext {
  env: Env;
  db: Db;
  config: Config;
  userId: string;
  generationId: string;
  itemKey: string;
  /** Delivery attempt of this message (1-based). */
  attempt: number;
  signal: AbortSignal;
  /** The configured image provider (procedural offline by default). */
  provider: ImageProvider;
}

export interface AppDefinition<Body extends Record<string, unknown> = Record<string, unknown>> {
  manifest: AppManifest;
  /** Validates the generation request body; `projectId` is checked by the engine. */
  body: z.ZodType<Body & { projectId: string }>;
  plan(body: Body, ctx: PlanContext): Promise<Plan>;
  /** The user's own prompt in the body, when the app takes one: kept with the generation for search. */
  prompt?(body: Body): string | null;
  /** Produces one item's outputs; throws ProviderError for retryable/permanent failures. */
  process(params: Record<string, unknown>, ctx: ProcessContext): Promise<ItemOutput[]>;
  /** The app's own item fields in the API view (e.g. a list of slides), over the generic ones. */
  viewItem?(config: Config, generationId: string, item: typeof generationItems.$inferSelect): Promise<Record<string, unknown>>;
  /** Periodic work the cron runs for the app (e.g. aborting abandoned uploads), judged at `now`; its counts are logged. */
  upkeep?(env: Env, now: number): Promise<Record<string, number>>;
}

/**
 * Erases an app's body type for the registry: the engine validates every body with the app's
 * own schema before plan() sees it, so the narrowing cast is sound.
 */
export const registered = <Body extends Record<string, unknown>>(app: AppDefinition<Body>): AppDefinition => app as unknown as AppDefinition;

/** A failure of one item that retrying cannot fix (bad input, content refused, missing pose). */
export class PermanentItemError extends Error {
  readonly retryable = false;
  constructor(message: string) {
    super(message);
    this.name = "PermanentItemError";
  }
}
