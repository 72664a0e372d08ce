/**
 * The marker segments that describe a JPEG before its scans: quantization tables, Huffman
 * tables and the frame header, whose components are laid out here for the scaled output.
 */
import { MediaError } from "../errors";
import { type Component, ZIGZAG } from "./component";
import { type HuffmanTable, buildHuffmanTable } from "./huffman";
import type { BlockSize } from "./idct";

export interface Frame {
  width: number;
  height: number;
  progressive: boolean;
  components: Component[];
  hMax: number;
  vMax: number;
  mcusPerLine: number;
  mcusPerColumn: number;
}

export const u16 = (b: Uint8Array, o: number) => (b[o]! << 8) | b[o + 1]!;

/** A DQT segment: every table it defines, stored by index in natural order. */
export function readQuantTables(data: Uint8Array, pos: number, end: number, quant: Array<Uint16Array | null>): void {
  while (pos < end) {
    const precision = data[pos]! >> 4;
    const index = data[pos]! & 15;
    pos++;
    if (index > 3 || precision > 1) throw new MediaError("invalid", "JPEG has an invalid quantization table");
    const table = new Uint16Array(64);
    for (let k = 0; k < 64; k++) {
      table[ZIGZAG[k]!] = precision === 0 ? data[pos + k]! : u16(data, pos + 2 * k);
    }
    pos += precision === 0 ? 64 : 128;
    if (pos > end) throw new MediaError("invalid", "JPEG quantization table overruns its segment");
    quant[index] = table;
  }
}

/** A DHT segment: every DC and AC table it defines, stored by index. */
export function readHuffmanTables(data: Uint8Array, pos: number, end: number, dc: Array<HuffmanTable | null>, ac: Array<HuffmanTable | null>): void {
  while (pos < end) {
    const tableClass = data[pos]! >> 4;
    const index = data[pos]! & 15;
    if (tableClass > 1 || index > 3 || pos + 17 > end) throw new MediaError("invalid", "JPEG has an invalid Huffman table");
    const counts = data.subarray(pos + 1, pos + 17);
    const total = counts.reduce((sum, c) => sum + c, 0);
    if (total > 256 || pos + 17 + total > end) throw new MediaError("invalid", "JPEG Huffman table overruns its segment");
    const table = buildHuffmanTable(counts, data.subarray(pos + 17, pos + 17 + total));
    (tableClass === 0 ? dc : ac)[index] = table;
    pos += 17 + total;
  }
}

/** An SOF0/1/2 segment, with each component's IDCT size and output maps for output at 1/`scale`. */
export function readFrame(data: Uint8Array, pos: number, end: number, progressive: boolean, scale: number): Frame {
  if (data[pos] !== 8) throw new MediaError("unsupported", "Only 8-bit JPEGs are supported");
  const height = u16(data, pos + 1);
  const width = u16(data, pos + 3);
  const count = data[pos + 5]!;
  if (width === 0 || height === 0) throw new MediaError("unsupported", "JPEG with a deferred height (DNL) is not supported");
  if (count === 4) throw new MediaError("unsupported", "CMYK JPEGs are not supported; save the image as RGB");
  if (count !== 1 && count !== 3) throw new MediaError("invalid", `JPEG has ${count} components`);
  if (pos + 6 + count * 3 > end) throw new MediaError("invalid", "JPEG frame header is too short");
  const specs = Array.from({ length: count }, (_, i) => {
    const o = pos + 6 + i * 3;
    const h = data[o + 1]! >> 4;
    const v = data[o + 1]! & 15;
    if (h < 1 || h > 4 || v < 1 || v > 4 || data[o + 2]! > 3) throw new MediaError("invalid", "JPEG component has invalid sampling factors");
    return { id: data[o]!, h, v, quantIndex: data[o + 2]! };
  });
  const hMax = Math.max(...specs.map((s) => s.h));
  const vMax = Math.max(...specs.map((s) => s.v));
  const mcusPerLine = Math.ceil(width / (8 * hMax));
  const mcusPerColumn = Math.ceil(height / (8 * vMax));
  const n = 8 / scale;
  const outWidth = Math.ceil(width / scale);
  const rowsPerMcu = vMax * n;
  const components = specs.map((s): Component => {
    // A subsampled component gets a larger IDCT (as libjpeg does when scaling), so its samples
    // arrive at (or nearer) the output resolution instead of being replicated.
    const blockSize = Math.min(8, n * Math.min(hMax / s.h, vMax / s.v)) as BlockSize;
    const blocksPerLine = mcusPerLine * s.h;
    const stripStride = blocksPerLine * blockSize;
    const xMap = new Int32Array(outWidth);
    for (let x = 0; x < outWidth; x++) xMap[x] = Math.min(stripStride - 1, Math.floor((x * s.h * blockSize) / (hMax * n)));
    const yMap = new Int32Array(rowsPerMcu);
    for (let y = 0; y < rowsPerMcu; y++) yMap[y] = Math.floor((y * s.v * blockSize) / (vMax * n)) * stripStride;
    return {
      ...s,
      quant: null,
      aan: null,
      blocksPerLine,
      blocksPerColumn: mcusPerColumn * s.v,
      samplesWide: Math.ceil((width * s.h) / hMax),
      samplesHigh: Math.ceil((height * s.v) / vMax),
      coefs: new Int16Array(0),
      slots: new Int8Array(0),
      slotCount: 64,
      nonzero: new Uint32Array(0),
      dcTable: null,
      acTable: null,
      predictor: 0,
      blockSize,
      strip: new Uint8Array(stripStride * s.v * blockSize),
      stripStride,
      xMap,
      yMap,
    };
  });
  return { width, height, progressive, components, hMax, vMax, mcusPerLine, mcusPerColumn };
}
