/**
 * The caption fonts bundled with the Worker: OFL-licensed Noto faces (bold), each as its
 * Latin and Latin Extended subsets, so Indonesian and European text renders. The subsets are
 * registered as two families and stacked, so a glyph missing from one comes from the other.
 */
import notoSansLatin from "@fontsource/noto-sans/files/noto-sans-latin-700-normal.woff2";
import notoSansLatinExt from "@fontsource/noto-sans/files/noto-sans-latin-ext-700-normal.woff2";
import notoSerifLatin from "@fontsource/noto-serif/files/noto-serif-latin-700-normal.woff2";
import notoSerifLatinExt from "@fontsource/noto-serif/files/noto-serif-latin-ext-700-normal.woff2";

export interface BundledFont {
  id: string;
  name: string;
  license: string;
  /** Subsets, most common first; each is registered as its own family. */
  files: { family: string; data: ArrayBuffer }[];
}

export const FONTS = [
  {
    id: "noto-sans",
    name: "Noto Sans Bold",
    license: "OFL-1.1",
    files: [
      { family: "Noto Sans Latin", data: notoSansLatin },
      { family: "Noto Sans Latin Ext", data: notoSansLatinExt },
    ],
  },
  {
    id: "noto-serif",
    name: "Noto Serif Bold",
    license: "OFL-1.1",
    files: [
      { family: "Noto Serif Latin", data: notoSerifLatin },
      { family: "Noto Serif Latin Ext", data: notoSerifLatinExt },
    ],
  },
] as const satisfies readonly BundledFont[];

export type FontId = (typeof FONTS)[number]["id"];
export const FONT_IDS = FONTS.map((f) => f.id) as [FontId, ...FontId[]];

export const fontById = (id: FontId): BundledFont => FONTS.find((f) => f.id === id)!;
