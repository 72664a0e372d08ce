/**
 * Progressive JPEG block decoding (ITU T.81 G.1.2): DC and AC first scans, and the
 * successive-approximation refinements, into a component's compact coefficient storage.
 */
import { MediaError } from "../errors";
import { type Component, ZIGZAG } from "./component";
import type { BitReader } from "./huffman";

/** What a scan's block decoders share: the bit reader and the AC end-of-band run. */
export interface ScanState {
  reader: BitReader;
  eobRun: number;
}

export function decodeDcFirst(scan: ScanState, c: Component, block: number, low: number): void {
  const t = scan.reader.decode(c.dcTable!);
  c.predictor += scan.reader.signed(t);
  c.coefs[block * c.slotCount] = c.predictor * (1 << low);
}

export function decodeDcRefine(scan: ScanState, c: Component, block: number, low: number): void {
  if (scan.reader.bit()) c.coefs[block * c.slotCount]! |= 1 << low;
}

/** Stores a new coefficient at zigzag position k: in its slot, or as a bit in the nonzero mask. */
function place(c: Component, block: number, k: number, value: number): void {
  const slot = c.slots[ZIGZAG[k]!]!;
  if (slot >= 0) c.coefs[block * c.slotCount + slot] = value;
  else c.nonzero[block * 2 + (k >> 5)]! |= 1 << (k & 31);
}

export function decodeAcFirst(scan: ScanState, c: Component, block: number, start: number, stop: number, low: number): void {
  if (scan.eobRun > 0) {
    scan.eobRun--;
    return;
  }
  const reader = scan.reader;
  for (let k = start; k <= stop; ) {
    const rs = reader.decode(c.acTable!);
    const size = rs & 15;
    const run = rs >> 4;
    if (size === 0) {
      if (run < 15) {
        scan.eobRun = (1 << run) - 1 + reader.bits(run);
        break;
      }
      k += 16;
      continue;
    }
    k += run;
    if (k > 63) break;
    place(c, block, k, reader.signed(size) * (1 << low));
    k++;
  }
}

/**
 * Refines the already-nonzero coefficient at zigzag position k by one correction bit (read
 * even when the coefficient is dropped, to stay in step with the bit stream). Returns false
 * when the coefficient is still zero.
 */
function refine(scan: ScanState, c: Component, block: number, k: number, positive: number, negative: number): boolean {
  const slot = c.slots[ZIGZAG[k]!]!;
  if (slot < 0) {
    if ((c.nonzero[block * 2 + (k >> 5)]! & (1 << (k & 31))) === 0) return false;
    scan.reader.bit();
    return true;
  }
  const index = block * c.slotCount + slot;
  const coef = c.coefs[index]!;
  if (coef === 0) return false;
  if (scan.reader.bit() && (coef & positive) === 0) c.coefs[index] = coef >= 0 ? coef + positive : coef + negative;
  return true;
}

/** Successive approximation of AC coefficients (ITU T.81 G.1.2.3), as libjpeg's decode_mcu_AC_refine. */
export function decodeAcRefine(scan: ScanState, c: Component, block: number, start: number, stop: number, low: number): void {
  const reader = scan.reader;
  const positive = 1 << low;
  const negative = -1 << low;
  let k = start;
  if (scan.eobRun === 0) {
    for (; k <= stop; k++) {
      const rs = reader.decode(c.acTable!);
      let run = rs >> 4;
      const size = rs & 15;
      let value = 0;
      if (size !== 0) {
        if (size !== 1) throw new MediaError("invalid", "JPEG refinement scan has an invalid coefficient size");
        value = reader.bit() ? positive : negative;
      } else if (run !== 15) {
        scan.eobRun = (1 << run) + reader.bits(run);
        break;
      }
      while (k <= stop) {
        if (!refine(scan, c, block, k, positive, negative)) {
          if (run === 0) break;
          run--;
        }
        k++;
      }
      if (value !== 0 && k <= stop) place(c, block, k, value);
    }
  }
  if (scan.eobRun > 0) {
    for (; k <= stop; k++) refine(scan, c, block, k, positive, negative);
    scan.eobRun--;
  }
}
