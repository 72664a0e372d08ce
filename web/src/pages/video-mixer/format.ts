/** How the Video Mixer page writes durations, sizes and a clip's format, and reads the app's limits. */
import type { AppSummary } from "../../stores/studio";
import type { Clip } from "../../stores/video-clips";

export interface Range {
  min: number;
  max: number;
}

/** Until GET /api/apps answers, nothing is in range (and the form says it is loading). */
const NONE: Range = { min: 1, max: 0 };

/** A limit the server publishes with the app (GET /api/apps): the page checks exactly what it enforces. */
export const rangeOf = (app: AppSummary | undefined, name: string): Range => app?.limits.ranges[name] ?? NONE;

const PROFILES: Record<string, string> = { "42": "Baseline", "4d": "Main", "58": "Extended", "64": "High" };

export const formatSeconds = (ms: number) => `${(ms / 1000).toFixed(ms % 1000 === 0 ? 0 : 1)} s`;

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
  const mb = n / (1024 * 1024);
  return `${mb.toFixed(mb >= 100 ? 0 : 1)} MB`;
}

/** "320×180 · 30 fps · H.264 High · AAC" */
export function describeFormat(clip: Pick<Clip, "width" | "height" | "fps" | "codec" | "hasAudio">): string {
  const profile = clip.codec ? (PROFILES[clip.codec.slice(5, 7).toLowerCase()] ?? clip.codec) : "";
  return [`${clip.width}×${clip.height}`, `${clip.fps} fps`, `H.264 ${profile}`.trim(), clip.hasAudio ? "AAC" : "no audio"].join(" · ");
}
