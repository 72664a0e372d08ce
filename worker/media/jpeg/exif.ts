/** The one EXIF field a decoder must honour: IFD0's Orientation tag. */

const u16be = (b: Uint8Array, o: number) => (b[o]! << 8) | b[o + 1]!;

/**
 * Reads Orientation (1–8) from an APP1 segment's body (`pos`..`end`), or null. Anything
 * malformed is ignored, never fatal: a bad EXIF block must not make a good image unreadable.
 */
export function readExifOrientation(data: Uint8Array, pos: number, end: number): number | null {
  if (end - pos < 14 || String.fromCharCode(...data.subarray(pos, pos + 4)) !== "Exif") return null;
  const tiff = pos + 6;
  const little = data[tiff] === 0x49;
  const read16 = (o: number) => (little ? data[o]! | (data[o + 1]! << 8) : u16be(data, o));
  const read32 = (o: number) =>
    little ? (data[o]! | (data[o + 1]! << 8) | (data[o + 2]! << 16) | (data[o + 3]! << 24)) >>> 0 : ((data[o]! << 24) | (data[o + 1]! << 16) | (data[o + 2]! << 8) | data[o + 3]!) >>> 0;
  if (read16(tiff + 2) !== 42) return null;
  const ifd = tiff + read32(tiff + 4);
  if (ifd + 2 > end) return null;
  const entries = read16(ifd);
  for (let i = 0; i < entries; i++) {
    const entry = ifd + 2 + i * 12;
    if (entry + 12 > end) return null;
    if (read16(entry) === 0x0112) {
      const value = read16(entry + 8);
      return value >= 1 && value <= 8 ? value : null;
    }
  }
  return null;
}
