/**
 * App switches: an admin can close an app to new generations (with a message for its
 * users) or mark it beta. The start route and the catalog view read them from D1.
 */
import { eq } from "drizzle-orm";
import type { Db } from "../db/client";
import { appSwitches } from "../db/schema";
import { ApiError } from "../core/errors";
import type { AppManifest } from "./contract";

export type AppSwitch = typeof appSwitches.$inferSelect;

export interface SwitchedManifest {
  enabled: boolean;
  beta: boolean;
  message: string;
}

/** What an app shows now: the manifest's own values unless an admin switched them. */
export function switched(manifest: Pick<AppManifest, "enabled" | "beta">, row: AppSwitch | undefined): SwitchedManifest {
  return row ? { enabled: manifest.enabled && row.enabled, beta: row.beta, message: row.enabled ? "" : row.message } : { enabled: manifest.enabled, beta: manifest.beta, message: "" };
}

export async function allSwitches(database: Db): Promise<Map<string, AppSwitch>> {
  const rows = await database.select().from(appSwitches);
  return new Map(rows.map((r) => [r.appId, r]));
}

/** 503 APP_DISABLED with the admin's message when the app is switched off. */
export async function assertAppOpen(database: Db, appId: string): Promise<void> {
  const row = await database.select().from(appSwitches).where(eq(appSwitches.appId, appId)).get();
  if (row && !row.enabled) {
    throw new ApiError("APP_DISABLED", row.message || "This app is switched off for now", { appId });
  }
}
