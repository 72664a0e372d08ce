/** Which model an item runs on: the one its submit chose (items written before models existed run the standard one). */
import { z } from "zod";
import type { AppManifest } from "../apps/types";
import type { Config } from "../config/config";
import { modelsOf, STANDARD_MODEL, type ModelDefinition } from "../models/catalog";
import { PermanentItemError } from "./errors";

const ItemModel = z.object({ modelId: z.string().default(STANDARD_MODEL) });

export function modelOfItem(config: Config, manifest: AppManifest, params: Record<string, unknown>): ModelDefinition {
  const { modelId } = ItemModel.parse(params);
  const model = modelsOf(config, manifest).find((m) => m.id === modelId);
  if (!model) throw new PermanentItemError(`The model ${modelId} is no longer offered`);
  return model;
}
