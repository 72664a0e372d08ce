/** JPEG entropy decoding: canonical Huffman tables and a bit reader over byte-stuffed scan data. */
import { MediaError } from "../errors";

/** Codes up to this many bits resolve with one table lookup; longer ones walk the canonical ranges. */
const LOOKUP_BITS = 9;

export interface HuffmanTable {
  /** Indexed by the next LOOKUP_BITS bits: (code length << 8) | symbol, or 0 for a longer code. */
  lookup: Uint16Array;
  /** Per code length 1..16: the largest code of that length (-1 when none). */
  maxCode: Int32Array;
  /** Per code length: symbol index of the first code minus that code. */
  valueOffset: Int32Array;
  values: Uint8Array;
  /**
   * For AC tables: indexed like `lookup`, the whole "run/size code + magnitude bits" when both
   * fit in LOOKUP_BITS, packed as (value << 8) | (run << 4) | bitsUsed; 0 otherwise. Most AC
   * coefficients of a photo resolve with this single lookup (the trick stb_image uses).
   */
  fastAc: Int32Array;
}

/** Builds a table from a DHT segment's 16 length counts and its symbols. */
export function buildHuffmanTable(counts: Uint8Array, values: Uint8Array): HuffmanTable {
  const lookup = new Uint16Array(1 << LOOKUP_BITS);
  const maxCode = new Int32Array(18).fill(-1);
  const valueOffset = new Int32Array(18);
  let code = 0;
  let k = 0;
  for (let length = 1; length <= 16; length++) {
    const count = counts[length - 1]!;
    valueOffset[length] = k - code;
    for (let i = 0; i < count; i++, k++, code++) {
      if (code >= 1 << length) throw new MediaError("invalid", "JPEG Huffman table is over-subscribed");
      if (length <= LOOKUP_BITS) {
        const shift = LOOKUP_BITS - length;
        const entry = (length << 8) | values[k]!;
        for (let fill = code << shift, end = (code + 1) << shift; fill < end; fill++) lookup[fill] = entry;
      }
    }
    if (count > 0) maxCode[length] = code - 1;
    code <<= 1;
  }
  // Sentinel: any 17-bit "code" ends the slow walk as an error.
  maxCode[17] = 0x7fffffff;
  return { lookup, maxCode, valueOffset, values, fastAc: buildFastAc(lookup) };
}

function buildFastAc(lookup: Uint16Array): Int32Array {
  const fast = new Int32Array(1 << LOOKUP_BITS);
  for (let index = 0; index < fast.length; index++) {
    const entry = lookup[index]!;
    if (entry === 0) continue;
    const length = entry >> 8;
    const run = (entry >> 4) & 15;
    const size = entry & 15;
    if (size === 0 || length + size > LOOKUP_BITS) continue;
    const magnitude = (index >> (LOOKUP_BITS - length - size)) & ((1 << size) - 1);
    const value = magnitude < 1 << (size - 1) ? magnitude - (1 << size) + 1 : magnitude;
    fast[index] = value * 256 + (run << 4) + length + size;
  }
  return fast;
}

/**
 * Reads bits MSB first from entropy-coded data, removing stuffed zero bytes. At a marker it
 * stops and feeds zeros, as libjpeg does, so a damaged scan decodes to grey instead of looping
 * or reading past the buffer.
 */
export class BitReader {
  private buffer = 0;
  private count = 0;
  /** The marker byte that stopped the reader, or -1. */
  marker = -1;

  constructor(
    private readonly data: Uint8Array,
    public position: number,
  ) {}

  private fill(): void {
    const data = this.data;
    while (this.count <= 24) {
      let byte = 0;
      if (this.marker < 0 && this.position < data.length) {
        byte = data[this.position++]!;
        if (byte === 0xff) {
          const next = data[this.position] ?? 0xd9;
          if (next === 0) {
            this.position++;
          } else {
            this.marker = next;
            this.position--;
            byte = 0;
          }
        }
      }
      this.buffer = (this.buffer << 8) | byte;
      this.count += 8;
    }
  }

  bit(): number {
    if (this.count < 1) this.fill();
    this.count--;
    return (this.buffer >>> this.count) & 1;
  }

  /** `n` (0..16) bits as an unsigned number. */
  bits(n: number): number {
    if (n === 0) return 0;
    if (this.count < n) this.fill();
    this.count -= n;
    return (this.buffer >>> this.count) & ((1 << n) - 1);
  }

  /** `n` bits as a signed magnitude (the JPEG "receive and extend" step). */
  signed(n: number): number {
    if (n === 0) return 0;
    const value = this.bits(n);
    return value < 1 << (n - 1) ? value - (1 << n) + 1 : value;
  }

  decode(table: HuffmanTable): number {
    if (this.count < 16) this.fill();
    const entry = table.lookup[(this.buffer >>> (this.count - LOOKUP_BITS)) & ((1 << LOOKUP_BITS) - 1)]!;
    if (entry !== 0) {
      this.count -= entry >> 8;
      return entry & 0xff;
    }
    for (let length = LOOKUP_BITS + 1; length <= 17; length++) {
      const code = length <= 16 ? (this.buffer >>> (this.count - length)) & ((1 << length) - 1) : 0;
      if (code <= table.maxCode[length]!) {
        if (length === 17) break;
        this.count -= length;
        return table.values[code + table.valueOffset[length]!] ?? 0;
      }
    }
    throw new MediaError("invalid", "JPEG scan contains an invalid Huffman code");
  }

  /**
   * Decodes one baseline block (DC difference + AC run/levels) into `coefs` at `offset`
   * (natural order, quantized) and returns the new DC predictor. This is the hot loop of every
   * sequential JPEG, so the bit buffer lives in locals here instead of object fields; the rare
   * long codes go through `decode` with the state written back and reloaded around the call.
   */
  decodeBlock(dc: HuffmanTable, ac: HuffmanTable, zigzag: Uint8Array, coefs: Int16Array, offset: number, predictor: number): number {
    const data = this.data;
    const end = data.length;
    const acFast = ac.fastAc;
    const acLookup = ac.lookup;
    let buffer = this.buffer;
    let count = this.count;
    let position = this.position;
    let marker = this.marker;
    let k = 0;
    for (;;) {
      // Keep ≥ 25 bits: a lookup (≤ 9 bits) or a short code plus its magnitude always fits.
      if (count <= 16 && marker < 0 && position + 1 < end && data[position] !== 0xff && data[position + 1] !== 0xff) {
        buffer = (buffer << 16) | (data[position]! << 8) | data[position + 1]!;
        position += 2;
        count += 16;
      }
      while (count <= 24) {
        let byte = 0;
        if (marker < 0 && position < end) {
          byte = data[position++]!;
          if (byte === 0xff) {
            const next = position < end ? data[position]! : 0xd9;
            if (next === 0) position++;
            else {
              marker = next;
              position--;
              byte = 0;
            }
          }
        }
        buffer = (buffer << 8) | byte;
        count += 8;
      }
      const peek = (buffer >>> (count - LOOKUP_BITS)) & ((1 << LOOKUP_BITS) - 1);
      if (k > 0) {
        const packed = acFast[peek]!;
        if (packed !== 0) {
          count -= packed & 15;
          k += (packed >> 4) & 15;
          if (k > 63) break;
          coefs[offset + zigzag[k]!] = packed >> 8;
          if (++k > 63) break;
          continue;
        }
      }
      let symbol: number;
      const entry = (k === 0 ? dc.lookup : acLookup)[peek]!;
      if (entry !== 0) {
        count -= entry >> 8;
        symbol = entry & 0xff;
      } else {
        this.buffer = buffer;
        this.count = count;
        this.position = position;
        this.marker = marker;
        symbol = this.decode(k === 0 ? dc : ac);
        // A code of up to 16 bits may leave fewer bits than its magnitude needs.
        if (this.count < 16) this.fill();
        buffer = this.buffer;
        count = this.count;
        position = this.position;
        marker = this.marker;
      }
      const size = symbol & 15;
      if (k === 0) {
        if (size > 0) {
          count -= size;
          const bits = (buffer >>> count) & ((1 << size) - 1);
          predictor += bits < 1 << (size - 1) ? bits - (1 << size) + 1 : bits;
        }
        coefs[offset] = predictor;
        k = 1;
        continue;
      }
      const run = symbol >> 4;
      if (size === 0) {
        if (run !== 15) break;
        k += 16;
        if (k > 63) break;
        continue;
      }
      k += run;
      if (k > 63) break;
      count -= size;
      const bits = (buffer >>> count) & ((1 << size) - 1);
      coefs[offset + zigzag[k]!] = bits < 1 << (size - 1) ? bits - (1 << size) + 1 : bits;
      if (++k > 63) break;
    }
    this.buffer = buffer;
    this.count = count;
    this.position = position;
    this.marker = marker;
    return predictor;
  }

  /** Skips to just after the next RSTn marker and clears the bit buffer. */
  restart(): void {
    this.buffer = 0;
    this.count = 0;
    if (this.marker < 0) this.position = this.nextMarker();
    const marker = this.data[this.position + 1];
    if (marker !== undefined && marker >= 0xd0 && marker <= 0xd7) this.position += 2;
    this.marker = -1;
  }

  /** Offset of the FF of the next marker at or after the read position (the end of the data if none). */
  nextMarker(): number {
    const data = this.data;
    for (let i = this.position; i + 1 < data.length; i++) {
      if (data[i] === 0xff && data[i + 1] !== 0 && data[i + 1] !== 0xff) return i;
    }
    return data.length;
  }
}
