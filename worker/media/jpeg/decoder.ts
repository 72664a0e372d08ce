/**
 * A JPEG decoder in plain TypeScript: baseline, extended (8-bit) and progressive Huffman
 * JPEGs, greyscale/YCbCr/RGB, restart intervals, EXIF orientation, and output scaled by 1/1,
 * 1/2, 1/4 or 1/8 during the IDCT.
 *
 * Why not photon: photon decodes only at full size and needs ~12 bytes per pixel of wasm
 * memory (measured: a 4096×4096 JPEG grows it to 190 MB, over the isolate's 128 MB), its wasm
 * memory never shrinks, and a malformed file panics inside wasm. Here a sequential JPEG is
 * decoded one MCU row at a time straight into the scaled output, so memory is the output plus
 * a few rows. A progressive JPEG must keep coefficients until its last scan; it keeps only
 * those the scaled IDCT will read (plus a nonzero bit for the rest), e.g. 40 instead of 128
 * bytes per luma block at 1/2 scale, bounded by `maxCoefficientBytes`.
 */
import { MediaError } from "../errors";
import type { RgbaImage } from "../rgba";
import { isStartOfFrame } from "../sniff";
import { writeRows } from "./color";
import { type Component, ZIGZAG } from "./component";
import { readExifOrientation } from "./exif";
import { type Frame, readFrame, readHuffmanTables, readQuantTables, u16 } from "./frame";
import { BitReader, type HuffmanTable } from "./huffman";
import { type BlockSize, aanQuant, idct8, idctReduced } from "./idct";
import { type ScanState, decodeAcFirst, decodeAcRefine, decodeDcFirst, decodeDcRefine } from "./progressive";

export type JpegScale = 1 | 2 | 4 | 8;

export interface JpegHeader {
  width: number;
  height: number;
  components: number;
  progressive: boolean;
  /** EXIF orientation 1–8 (1 when absent). */
  orientation: number;
}

export interface JpegDecodeOptions {
  /** Output is 1/scale of the full size in each direction (rounded up). */
  scale: JpegScale;
  /** Budget for files that must keep coefficients across scans (progressive, non-interleaved). */
  maxCoefficientBytes: number;
}

export interface DecodedJpeg {
  image: RgbaImage;
  orientation: number;
}

/** Parses the markers up to the first scan: size, kind and orientation, no entropy decoding. */
export function readJpegHeader(bytes: Uint8Array): JpegHeader {
  const decoder = new JpegDecoder(bytes, { scale: 8, maxCoefficientBytes: 0 });
  return decoder.header();
}

export function decodeJpeg(bytes: Uint8Array, options: JpegDecodeOptions): DecodedJpeg {
  return new JpegDecoder(bytes, options).decode();
}

class JpegDecoder {
  private readonly quant: Array<Uint16Array | null> = [null, null, null, null];
  private readonly dc: Array<HuffmanTable | null> = [null, null, null, null];
  private readonly ac: Array<HuffmanTable | null> = [null, null, null, null];
  private restartInterval = 0;
  private adobeTransform: number | null = null;
  private orientation = 1;
  private frame: Frame | null = null;
  /** Sequential, all components in one scan: decode and emit one MCU row at a time. */
  private streaming = false;
  private scans = 0;
  private scan: ScanState;
  private out: RgbaImage | null = null;
  private readonly n: BlockSize;

  constructor(
    private readonly data: Uint8Array,
    private readonly options: JpegDecodeOptions,
  ) {
    this.n = (8 / options.scale) as BlockSize;
    this.scan = { reader: new BitReader(data, 0), eobRun: 0 };
  }

  header(): JpegHeader {
    this.walk(true);
    const frame = this.requireFrame();
    return {
      width: frame.width,
      height: frame.height,
      components: frame.components.length,
      progressive: frame.progressive,
      orientation: this.orientation,
    };
  }

  decode(): DecodedJpeg {
    this.walk(false);
    const frame = this.requireFrame();
    if (this.scans === 0) throw new MediaError("invalid", "JPEG has no image data");
    if (!this.streaming) {
      for (let row = 0; row < frame.mcusPerColumn; row++) this.emitRow(row, row);
    }
    return { image: this.output(), orientation: this.orientation };
  }

  private requireFrame(): Frame {
    if (!this.frame) throw new MediaError("invalid", "JPEG has no frame header");
    return this.frame;
  }

  private output(): RgbaImage {
    if (!this.out) throw new MediaError("invalid", "JPEG has no frame header");
    return this.out;
  }

  /** Walks the marker segments; with `headerOnly` it stops at the first scan. */
  private walk(headerOnly: boolean): void {
    const data = this.data;
    let pos = 2;
    while (pos + 1 < data.length) {
      if (data[pos] !== 0xff) {
        pos++;
        continue;
      }
      const marker = data[pos + 1]!;
      if (marker === 0xff) {
        pos++;
        continue;
      }
      pos += 2;
      if (marker === 0xd8 || (marker >= 0xd0 && marker <= 0xd7) || marker === 0x01 || marker === 0x00) continue;
      if (marker === 0xd9) return;
      if (pos + 2 > data.length) throw new MediaError("truncated", "The JPEG file ends early");
      const length = u16(data, pos);
      const end = pos + length;
      if (length < 2 || end > data.length) throw new MediaError("truncated", "The JPEG file ends early");
      const body = pos + 2;
      switch (marker) {
        case 0xdb:
          readQuantTables(data, body, end, this.quant);
          break;
        case 0xc4:
          readHuffmanTables(data, body, end, this.dc, this.ac);
          break;
        case 0xdd:
          this.restartInterval = u16(data, body);
          break;
        case 0xe1:
          this.orientation = readExifOrientation(data, body, end) ?? this.orientation;
          break;
        case 0xee:
          if (String.fromCharCode(...data.subarray(body, body + 5)) === "Adobe" && end - body >= 12) this.adobeTransform = data[body + 11]!;
          break;
        case 0xc0:
        case 0xc1:
        case 0xc2:
          if (this.frame) throw new MediaError("invalid", "JPEG has more than one frame header");
          this.frame = readFrame(data, body, end, marker === 0xc2, this.options.scale);
          break;
        case 0xdc:
          throw new MediaError("unsupported", "JPEG with a DNL marker is not supported");
        case 0xda:
          if (headerOnly) return;
          pos = this.readScan(body, end);
          continue;
        default:
          if (isStartOfFrame(marker) || marker === 0xcc) {
            throw new MediaError("unsupported", "Lossless, hierarchical and arithmetic-coded JPEGs are not supported");
          }
      }
      pos = end;
    }
    if (headerOnly) throw new MediaError("invalid", "JPEG has no image data");
  }

  /** Decodes one scan; returns the offset of the marker that follows it. */
  private readScan(pos: number, end: number): number {
    const frame = this.requireFrame();
    const data = this.data;
    const count = data[pos]!;
    if (count < 1 || count > 4 || pos + 1 + count * 2 + 3 > end) throw new MediaError("invalid", "JPEG scan header is malformed");
    const components: Component[] = [];
    for (let i = 0; i < count; i++) {
      const id = data[pos + 1 + i * 2]!;
      const tables = data[pos + 2 + i * 2]!;
      const component = frame.components.find((c) => c.id === id);
      if (!component) throw new MediaError("invalid", "JPEG scan names an unknown component");
      component.dcTable = this.dc[tables >> 4] ?? null;
      component.acTable = this.ac[tables & 15] ?? null;
      if (!component.quant) {
        const quant = this.quant[component.quantIndex];
        if (!quant) throw new MediaError("invalid", "JPEG uses an undefined quantization table");
        component.quant = quant;
        component.aan = aanQuant(quant);
      }
      components.push(component);
    }
    const spectral = pos + 1 + count * 2;
    const start = data[spectral]!;
    const stop = data[spectral + 1]!;
    const high = data[spectral + 2]! >> 4;
    const low = data[spectral + 2]! & 15;
    if (this.scans === 0) this.allocate(frame, count);
    this.scans++;

    const decodeBlock = this.blockDecoder(frame.progressive, start, stop, high, low, components);
    this.scan = { reader: new BitReader(data, end), eobRun: 0 };
    for (const c of frame.components) c.predictor = 0;
    if (components.length === 1) this.decodeSingle(components[0]!, decodeBlock);
    else this.decodeInterleaved(frame, components, decodeBlock);
    return this.scan.reader.nextMarker();
  }

  private allocate(frame: Frame, firstScanComponents: number): void {
    this.streaming = !frame.progressive && firstScanComponents === frame.components.length && (frame.components.length > 1 || (frame.components[0]!.h === 1 && frame.components[0]!.v === 1));
    let total = 0;
    for (const c of frame.components) {
      const keep = frame.progressive ? c.blockSize : 8;
      c.slots = new Int8Array(64).fill(-1);
      c.slotCount = 0;
      for (let row = 0; row < keep; row++) for (let col = 0; col < keep; col++) c.slots[row * 8 + col] = c.slotCount++;
      const blocks = c.blocksPerLine * (this.streaming ? c.v : c.blocksPerColumn);
      const masked = c.slotCount < 64;
      total += blocks * (c.slotCount * 2 + (masked ? 8 : 0));
      c.coefs = new Int16Array(0);
      c.nonzero = new Uint32Array(masked ? blocks * 2 : 0);
    }
    if (total > this.options.maxCoefficientBytes) {
      throw new MediaError("too_large", `This JPEG needs ${Math.ceil(total / 1048576)} MB of coefficients to decode; the limit is ${Math.floor(this.options.maxCoefficientBytes / 1048576)} MB`, {
        width: frame.width,
        height: frame.height,
      });
    }
    for (const c of frame.components) c.coefs = new Int16Array(c.blocksPerLine * (this.streaming ? c.v : c.blocksPerColumn) * c.slotCount);
    const outWidth = Math.ceil(frame.width / this.options.scale);
    const outHeight = Math.ceil(frame.height / this.options.scale);
    this.out = { width: outWidth, height: outHeight, data: new Uint8Array(outWidth * outHeight * 4) };
  }

  private restartDue(unit: number): boolean {
    return this.restartInterval > 0 && unit > 0 && unit % this.restartInterval === 0;
  }

  private restart(): void {
    this.scan.reader.restart();
    this.scan.eobRun = 0;
    const frame = this.requireFrame();
    for (const c of frame.components) c.predictor = 0;
  }

  /** A non-interleaved scan: one block per MCU, over the component's own (unpadded) block grid. */
  private decodeSingle(c: Component, decodeBlock: BlockDecoder): void {
    const wide = Math.ceil(c.samplesWide / 8);
    const high = Math.ceil(c.samplesHigh / 8);
    let unit = 0;
    for (let row = 0; row < high; row++) {
      const base = this.streaming ? 0 : row;
      for (let col = 0; col < wide; col++, unit++) {
        if (this.restartDue(unit)) this.restart();
        decodeBlock(c, base * c.blocksPerLine + col);
      }
      if (this.streaming) {
        this.emitRow(row, 0);
        c.coefs.fill(0);
      }
    }
  }

  private decodeInterleaved(frame: Frame, components: Component[], decodeBlock: BlockDecoder): void {
    let unit = 0;
    for (let row = 0; row < frame.mcusPerColumn; row++) {
      for (let col = 0; col < frame.mcusPerLine; col++, unit++) {
        if (this.restartDue(unit)) this.restart();
        for (const c of components) {
          const baseRow = this.streaming ? 0 : row * c.v;
          for (let by = 0; by < c.v; by++) {
            const rowOffset = (baseRow + by) * c.blocksPerLine + col * c.h;
            for (let bx = 0; bx < c.h; bx++) decodeBlock(c, rowOffset + bx);
          }
        }
      }
      if (this.streaming) {
        this.emitRow(row, 0);
        for (const c of components) c.coefs.fill(0);
      }
    }
  }

  private blockDecoder(progressive: boolean, start: number, stop: number, high: number, low: number, components: Component[]): BlockDecoder {
    const needsDc = start === 0 && high === 0;
    const needsAc = stop > 0 && (!progressive || high === 0);
    for (const c of components) {
      if ((needsDc && !c.dcTable) || (needsAc && !c.acTable)) throw new MediaError("invalid", "JPEG scan uses an undefined Huffman table");
    }
    if (!progressive) return this.decodeBaseline;
    if (start > stop || stop > 63 || (start === 0 && stop !== 0) || (start > 0 && components.length !== 1)) {
      throw new MediaError("invalid", "JPEG progressive scan has an invalid spectral range");
    }
    if (start === 0) return high === 0 ? (c, b) => decodeDcFirst(this.scan, c, b, low) : (c, b) => decodeDcRefine(this.scan, c, b, low);
    return high === 0 ? (c, b) => decodeAcFirst(this.scan, c, b, start, stop, low) : (c, b) => decodeAcRefine(this.scan, c, b, start, stop, low);
  }

  private readonly decodeBaseline: BlockDecoder = (c, block) => {
    c.predictor = this.scan.reader.decodeBlock(c.dcTable!, c.acTable!, ZIGZAG, c.coefs, block * 64, c.predictor);
  };

  /** IDCTs MCU row `row` (its blocks start at block row `blockRow × v` of each buffer) and colour-converts it. */
  private emitRow(row: number, blockRow: number): void {
    const frame = this.requireFrame();
    const out = this.output();
    for (const c of frame.components) {
      const quant = c.quant;
      if (!quant) continue;
      const aan = c.aan!;
      const size = c.blockSize;
      const compact = c.slotCount < 64;
      for (let by = 0; by < c.v; by++) {
        const firstBlock = (blockRow * c.v + by) * c.blocksPerLine;
        const stripRow = by * size * c.stripStride;
        for (let bx = 0; bx < c.blocksPerLine; bx++) {
          let coefs = c.coefs;
          let offset = (firstBlock + bx) * c.slotCount;
          if (compact) {
            // Spread the kept top-left coefficients back into natural 8×8 order for the IDCT.
            for (let row = 0, i = 0; row < size; row++) for (let col = 0; col < size; col++, i++) BLOCK[row * 8 + col] = c.coefs[offset + i]!;
            coefs = BLOCK;
            offset = 0;
          }
          if (size === 8) idct8(coefs, offset, aan, c.strip, stripRow + bx * 8, c.stripStride);
          else idctReduced(size, coefs, offset, quant, c.strip, stripRow + bx * size, c.stripStride);
        }
      }
    }
    const rowsPerMcu = frame.vMax * this.n;
    const firstY = row * rowsPerMcu;
    const lastY = Math.min(out.height, firstY + rowsPerMcu);
    writeRows(out, frame.components, firstY, lastY, this.isRgb(frame));
  }

  /** Adobe transform 0, or JFIF-less files whose component ids spell R, G, B, hold RGB, not YCbCr. */
  private isRgb(frame: Frame): boolean {
    if (this.adobeTransform !== null) return this.adobeTransform === 0;
    const ids = frame.components.map((c) => c.id);
    return ids[0] === 0x52 && ids[1] === 0x47 && ids[2] === 0x42;
  }
}

type BlockDecoder = (component: Component, block: number) => void;

/** Scratch block for compact (progressive) storage; only its top-left size² entries are ever read. */
const BLOCK = new Int16Array(64);
