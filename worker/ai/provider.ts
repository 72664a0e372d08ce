/** The one interface every image generator implements, and the shapes it speaks. */
import type { EncodedImage } from "../media/encode";
import type { Keypoints } from "./skeleton";

/**
 * What goes behind the subject. `scene`: a complete, opaque picture. `transparent`: the
 * subject alone with alpha 0 around it, for background replacement to composite later.
 * Only the procedural provider can honour `transparent`; remote models return opaque images
 * and are asked for a plain studio backdrop instead.
 */
export type BackgroundMode = "scene" | "transparent";

export interface ImageRequest {
  prompt: string;
  /** Same prompt + seed (+ pose) → the same image, where the provider is deterministic. */
  seed: number;
  width: number;
  height: number;
  /** A COCO-17 skeleton the figure must follow. */
  pose?: Keypoints | null;
  /** A reference image (e.g. the user's avatar), PNG/JPEG bytes. */
  initImage?: Uint8Array | null;
  background?: BackgroundMode;
}

/** Remote models return bytes only; the offline provider also hands over its pixels (EncodedImage.pixels). */
export interface GeneratedImage extends EncodedImage {
  contentType: "image/png" | "image/jpeg";
}

export interface ImageProvider {
  readonly name: string;
  generate(req: ImageRequest, signal?: AbortSignal): Promise<GeneratedImage>;
}
