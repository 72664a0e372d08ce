/** Background replacement: a subject with alpha composited over a solid colour or a cover-fitted image. */
import { type Rgb, parseHexColor } from "./color";
import { type EncodedImage, encodeRgba } from "./encode";
import type { RgbaImage } from "./rgba";
import { type ImageInput, type OutputOptions, coverResize, pixelsOf } from "./transform";

export type Backdrop = { color: string } | { image: ImageInput };

/**
 * Source-over of `subject` onto an opaque backdrop of the same size: where alpha is 0 the
 * backdrop shows, where it is 255 the subject does. The result is opaque.
 */
export function compositeOver(subject: RgbaImage, backdrop: RgbaImage | Rgb): RgbaImage {
  const { width, height } = subject;
  const src = subject.data;
  const out = new Uint8Array(width * height * 4);
  const under = "data" in backdrop ? backdrop.data : null;
  if (under && (backdrop as RgbaImage).width * (backdrop as RgbaImage).height !== width * height) {
    throw new RangeError("backdrop and subject differ in size");
  }
  const color = "data" in backdrop ? null : backdrop;
  for (let i = 0; i < out.length; i += 4) {
    const a = src[i + 3]!;
    const keep = 255 - a;
    const r = under ? under[i]! : color!.r;
    const g = under ? under[i + 1]! : color!.g;
    const b = under ? under[i + 2]! : color!.b;
    out[i] = (src[i]! * a + r * keep + 127) / 255;
    out[i + 1] = (src[i + 1]! * a + g * keep + 127) / 255;
    out[i + 2] = (src[i + 2]! * a + b * keep + 127) / 255;
    out[i + 3] = 255;
  }
  return { width, height, data: out };
}

/** Builds the backdrop at the subject's size and encodes the composite (JPEG by default), keeping its pixels. */
export async function replaceBackground(subjectInput: ImageInput, backdrop: Backdrop, options: OutputOptions = {}): Promise<EncodedImage> {
  const subject = await pixelsOf(subjectInput);
  let under: RgbaImage | Rgb;
  if ("color" in backdrop) {
    under = parseHexColor(backdrop.color);
  } else {
    const image = await pixelsOf(backdrop.image, { width: subject.width, height: subject.height, fit: "cover" });
    under = coverResize(image, subject.width, subject.height);
  }
  const composite = compositeOver(subject, under);
  return { ...encodeRgba(composite, { format: options.format ?? "jpeg", quality: options.quality ?? 88 }), pixels: composite };
}
