/** What the procedural provider takes from a reference image (an avatar): its dominant colour. */
import type { Rgb } from "../media/color";
import { type DecodedImage, decodeImage } from "../media/decode";
import { MediaError } from "../media/errors";
import { ProviderError } from "./errors";

/**
 * The alpha-weighted mean colour, from a tiny decode (JPEG at 1/8, PNG box-shrunk), or null
 * for a fully transparent image. An undecodable reference is the caller's error, not ours.
 */
export async function averageColor(bytes: Uint8Array): Promise<Rgb | null> {
  let image: DecodedImage["image"];
  try {
    ({ image } = await decodeImage(bytes, { target: { width: 32, height: 32, fit: "inside" } }));
  } catch (error) {
    if (error instanceof MediaError) {
      throw new ProviderError(`procedural: the reference image is unusable (${error.message})`, { retryable: false, provider: "procedural", status: 422, cause: error });
    }
    throw error;
  }
  let r = 0;
  let g = 0;
  let b = 0;
  let total = 0;
  const { data } = image;
  for (let i = 0; i < data.length; i += 4) {
    const a = data[i + 3]!;
    r += data[i]! * a;
    g += data[i + 1]! * a;
    b += data[i + 2]! * a;
    total += a;
  }
  if (total === 0) return null;
  return { r: Math.round(r / total), g: Math.round(g / total), b: Math.round(b / total) };
}
