/**
 * Slides as a user sees them: the exact size for each aspect, the photo centre-cropped,
 * the caption's ink in its band and inside the safe margin, long captions wrapped and shrunk.
 */
import { describe, expect, it } from "vitest";
import { fitCaption, MAX_CAPTION_HEIGHT, SAFE_MARGIN } from "../../../worker/apps/carousel-mix/render/caption";
import { renderer } from "../../../worker/apps/carousel-mix/render/engine";
import { ASPECTS, type Aspect } from "../../../worker/apps/carousel-mix/render/aspects";
import { renderSlide } from "../../../worker/apps/carousel-mix/render/slide";
import { TextStyle } from "../../../worker/apps/carousel-mix/schema";
import type { RgbaImage } from "../../../worker/media/rgba";
import { buildPng } from "../../support/images";
import { decoded, flatPng } from "../../support/carousel";

const BACKGROUND: [number, number, number] = [90, 120, 150];
const style = (over: Partial<TextStyle> = {}) => TextStyle.parse(over);

/** The bounding box of pixels that are not the flat background (JPEG noise tolerated). */
function inkBox(image: RgbaImage, isInk: (r: number, g: number, b: number) => boolean) {
  let top = Infinity,
    bottom = -1,
    left = Infinity,
    right = -1,
    pixels = 0;
  for (let y = 0; y < image.height; y++) {
    for (let x = 0; x < image.width; x++) {
      const i = (y * image.width + x) * 4;
      if (!isInk(image.data[i]!, image.data[i + 1]!, image.data[i + 2]!)) continue;
      pixels++;
      top = Math.min(top, y);
      bottom = Math.max(bottom, y);
      left = Math.min(left, x);
      right = Math.max(right, x);
    }
  }
  return { top, bottom, left, right, pixels };
}

const notBackground = (r: number, g: number, b: number) => Math.abs(r - BACKGROUND[0]) + Math.abs(g - BACKGROUND[1]) + Math.abs(b - BACKGROUND[2]) > 40;
const red = (r: number, g: number, b: number) => r > 180 && g < 90 && b < 90;

/** Separate horizontal bands of rows holding red text: the caption's lines. */
function lineBands(image: RgbaImage): number {
  let bands = 0;
  let inBand = false;
  for (let y = 0; y < image.height; y++) {
    let hit = false;
    for (let x = 0; x < image.width && !hit; x++) {
      const i = (y * image.width + x) * 4;
      hit = red(image.data[i]!, image.data[i + 1]!, image.data[i + 2]!);
    }
    if (hit && !inBand) bands++;
    inBand = hit;
  }
  return bands;
}

describe("carousel slides", () => {
  it("is exactly 1080×1080, 1080×1350 or 1080×1920 whatever the photo's shape", async () => {
    const sources = [await flatPng(800, 600, BACKGROUND), await flatPng(300, 900, BACKGROUND), await flatPng(4096, 256, BACKGROUND)];
    for (const aspect of Object.keys(ASPECTS) as Aspect[]) {
      for (const source of sources) {
        const slide = await renderSlide(source, "Hello", style(), aspect);
        const image = await decoded(slide.bytes);
        expect([image.width, image.height, slide.width, slide.height]).toEqual([ASPECTS[aspect].width, ASPECTS[aspect].height, ASPECTS[aspect].width, ASPECTS[aspect].height]);
      }
    }
  });

  it("keeps the middle of the photo when cropping to the aspect (centre crop)", async () => {
    // Red, green and blue thirds side by side: a square crop keeps the green middle only.
    const stripes = await buildPng({ width: 900, height: 300, colorType: 2, depth: 8, pixel: (x) => (x < 300 ? [255, 0, 0] : x < 600 ? [0, 255, 0] : [0, 0, 255]) });
    const image = await decoded((await renderSlide(stripes, null, style(), "1:1")).bytes);
    for (const x of [5, 540, 1074]) {
      const i = (540 * 1080 + x) * 4;
      expect([image.data[i]! < 40, image.data[i + 1]! > 200, image.data[i + 2]! < 40], `x=${x}`).toEqual([true, true, true]);
    }
  });

  it("puts the caption's ink in its band (top, center, bottom), inside the margin, and nowhere else", async () => {
    const photo = await flatPng(800, 1000, BACKGROUND);
    for (const aspect of ["4:5", "9:16"] as const) {
      const { width, height } = ASPECTS[aspect];
      const margin = Math.round(width * SAFE_MARGIN);
      for (const position of ["top", "center", "bottom"] as const) {
        const image = await decoded((await renderSlide(photo, "Diskon besar hari ini", style({ position, box: true }), aspect)).bytes);
        const ink = inkBox(image, notBackground);
        expect(ink.pixels, `${aspect} ${position}`).toBeGreaterThan(1000);
        expect(ink.left).toBeGreaterThanOrEqual(margin - 2);
        expect(ink.right).toBeLessThanOrEqual(width - margin + 2);
        const band = { top: [margin, height / 3], center: [height / 3, (2 * height) / 3], bottom: [(2 * height) / 3, height - margin] }[position];
        expect(ink.top, `${aspect} ${position} top`).toBeGreaterThanOrEqual(band[0]! - 2);
        expect(ink.bottom, `${aspect} ${position} bottom`).toBeLessThanOrEqual(band[1]! + 2);
      }
    }
  });

  it("leaves a slide without a caption free of ink", async () => {
    const image = await decoded((await renderSlide(await flatPng(600, 600, BACKGROUND), null, style(), "1:1")).bytes);
    expect(inkBox(image, notBackground).pixels).toBe(0);
  });

  it("wraps a long caption onto several lines, shrinks it to fit its band and keeps it inside the margin", async () => {
    const long = "Promo akhir tahun: semua koleksi batik, tenun dan songket diskon sampai lima puluh persen, gratis ongkir ke seluruh Indonesia, hanya minggu ini saja!".padEnd(200, "!");
    expect(long).toHaveLength(200);
    const chosen = style({ size: 160, box: false, color: "#FF0000", position: "center" });
    const { width, height } = ASPECTS["1:1"];
    const layout = await fitCaption(await renderer(), long, chosen, width, height);
    expect(layout.fontSize).toBeLessThan(160);
    const image = await decoded((await renderSlide(await flatPng(600, 600, BACKGROUND), long, chosen, "1:1")).bytes);
    const ink = inkBox(image, red);
    const margin = Math.round(width * SAFE_MARGIN);
    expect(lineBands(image)).toBeGreaterThanOrEqual(4);
    expect(ink.left).toBeGreaterThanOrEqual(margin);
    expect(ink.right).toBeLessThanOrEqual(width - margin);
    expect(ink.bottom - ink.top).toBeLessThanOrEqual(height * MAX_CAPTION_HEIGHT);
    // A short caption at the same size is not shrunk.
    expect((await fitCaption(await renderer(), "Sale", chosen, width, height)).fontSize).toBe(160);
  });

  it("draws Indonesian and European letters with their diacritics in both bundled fonts", async () => {
    const photo = await flatPng(600, 600, BACKGROUND);
    const inkOf = (text: string, font: "noto-sans" | "noto-serif") =>
      renderSlide(photo, text, style({ font, box: false, color: "#FF0000" }), "1:1")
        .then((s) => decoded(s.bytes))
        .then((i) => inkBox(i, red));
    for (const font of ["noto-sans", "noto-serif"] as const) {
      const marked = await inkOf("ąęśżźćńłőű", font);
      const plain = await inkOf("aeszzcnlou", font);
      expect(plain.pixels, font).toBeGreaterThan(500);
      // Ogoneks, acutes, dots and strokes add ink above and below the plain letters.
      expect(marked.pixels, font).toBeGreaterThan(plain.pixels * 1.1);
      expect(marked.bottom - marked.top, font).toBeGreaterThan(plain.bottom - plain.top);
    }
  });
});
