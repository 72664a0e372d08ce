/**
 * The apps the engine can run. The entry point composes it (worker/index.ts: the product
 * apps; the test entry adds a test app), so the engine never imports an app.
 */
import type { z } from "zod";
import { ApiError } from "../core/errors";
import type { AppDefinition, AppManifest } from "./contract";

export interface Catalog {
  /** What GET /api/apps shows, in catalog order. */
  manifests(): AppManifest[];
  ids(): [string, ...string[]];
  isKnown(appId: string): boolean;
  /** The definition of an app that can generate now; 404 for unknown apps, 422 for ones not open yet. */
  generating(appId: string): AppDefinition;
  /** Every generating app's body schema, for the OpenAPI document. */
  bodies(): [z.ZodType, ...z.ZodType[]];
  /** An app's definition, open or not (for views of what it already made). */
  definition(appId: string): AppDefinition | undefined;
  /** The generating apps, for the cron's upkeep. */
  definitions(): AppDefinition[];
}

/** An entry is a full definition, or the manifest of an app that is announced but not open yet. */
export type CatalogEntry = AppDefinition | AppManifest;

const isDefinition = (entry: CatalogEntry): entry is AppDefinition => "plan" in entry;
const manifestOf = (entry: CatalogEntry) => (isDefinition(entry) ? entry.manifest : entry);

export function createCatalog(entries: readonly [CatalogEntry, ...CatalogEntry[]]): Catalog {
  const byId = new Map(entries.map((e) => [manifestOf(e).id, e] as const));
  const definitions = entries.filter(isDefinition);
  return {
    manifests: () => entries.map(manifestOf),
    ids: () => [...byId.keys()] as [string, ...string[]],
    isKnown: (appId) => byId.has(appId),
    generating(appId) {
      const entry = byId.get(appId);
      if (!entry) throw new ApiError("NOT_FOUND", `No app called ${appId}`);
      if (!isDefinition(entry) || !entry.manifest.enabled) throw new ApiError("UNPROCESSABLE", `${manifestOf(entry).name} is not available yet`);
      return entry;
    },
    bodies: () => definitions.map((d) => d.body as z.ZodType) as [z.ZodType, ...z.ZodType[]],
    definition(appId) {
      const entry = byId.get(appId);
      return entry && isDefinition(entry) ? entry : undefined;
    },
    definitions: () => definitions,
  };
}
