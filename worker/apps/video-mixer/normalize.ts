/**
 * The step that would bring a clip of another format to the generation's format before it
 * is mixed. Locally (and by default) it passes clips through: a clip already in the target
 * format is used as it is, any other is refused with the settings that differ. README.md
 * ("Video Mixer: normalising clips") describes the Media Transformations implementation.
 */
import type { ClipFormat } from "../../media/video/format";

export interface NormalizableClip {
  id: string;
  name: string;
  objectKey: string;
  sizeBytes: number;
  formatKey: string;
  format: ClipFormat;
}

export interface ClipNormalizer {
  readonly name: string;
  /** The clip in `target`'s format (itself, or a transformed and re-probed copy), or null when it cannot be made. */
  normalize(clip: NormalizableClip, target: { formatKey: string; format: ClipFormat }): Promise<NormalizableClip | null>;
}

export const passThroughNormalizer: ClipNormalizer = {
  name: "pass-through",
  async normalize(clip, target) {
    return clip.formatKey === target.formatKey ? clip : null;
  },
};
