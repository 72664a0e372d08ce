/**
 * A clip's format: the settings that must be equal for packets of two clips to share one
 * track and one decoder configuration. The key is a digest of them; comparing the settings
 * themselves names what differs.
 */
import { z } from "zod";
import { canonicalJson, sha256, toHex } from "../../core/digest";

export const ClipFormat = z.object({
  /** The decoder's codec string (profile and level), e.g. avc1.64000d. */
  codec: z.string(),
  width: z.number().int(),
  height: z.number().int(),
  /** Frames per second, to 3 decimals. */
  fps: z.number(),
  rotation: z.number().int(),
  /** avcC: SPS and PPS, hex. Two encoders with equal headline settings can still differ here. */
  decoderDescription: z.string(),
  audio: z.object({ codec: z.string(), sampleRate: z.number().int(), channels: z.number().int(), decoderDescription: z.string() }).nullable(),
});
export type ClipFormat = z.infer<typeof ClipFormat>;

export async function formatKey(format: ClipFormat): Promise<string> {
  return toHex(await sha256(canonicalJson(format))).slice(0, 32);
}

const audioLabel = (a: ClipFormat["audio"]) => (a ? `${a.codec} ${a.sampleRate} Hz ${a.channels === 1 ? "mono" : `${a.channels} ch`}` : "no audio");

/** The settings in which `b` differs from `a`, each as "name: a vs b". */
export function formatDifferences(a: ClipFormat, b: ClipFormat): string[] {
  const out: string[] = [];
  if (a.codec !== b.codec) out.push(`codec profile/level: ${a.codec} vs ${b.codec}`);
  if (a.width !== b.width || a.height !== b.height) out.push(`resolution: ${a.width}×${a.height} vs ${b.width}×${b.height}`);
  if (a.fps !== b.fps) out.push(`frame rate: ${a.fps} vs ${b.fps} fps`);
  if (a.rotation !== b.rotation) out.push(`rotation: ${a.rotation}° vs ${b.rotation}°`);
  if (audioLabel(a.audio) !== audioLabel(b.audio)) out.push(`audio: ${audioLabel(a.audio)} vs ${audioLabel(b.audio)}`);
  else if (a.audio && b.audio && a.audio.decoderDescription !== b.audio.decoderDescription) out.push("audio encoder settings (AudioSpecificConfig)");
  if (out.length === 0 && a.decoderDescription !== b.decoderDescription) out.push("H.264 encoder settings (SPS/PPS in the decoder configuration)");
  return out;
}
