/** One colour component of a JPEG frame: its sampling, tables, coefficients and output strip. */
import type { HuffmanTable } from "./huffman";
import type { BlockSize } from "./idct";

/** ZIGZAG[k] = natural (row-major) index of the k-th coefficient in zigzag order. */
export const ZIGZAG: Uint8Array = (() => {
  const order = Array.from({ length: 64 }, (_, i) => i);
  order.sort((a, b) => {
    const [ra, ca, rb, cb] = [a >> 3, a & 7, b >> 3, b & 7];
    if (ra + ca !== rb + cb) return ra + ca - (rb + cb);
    return (ra + ca) % 2 === 1 ? ra - rb : rb - ra;
  });
  return Uint8Array.from(order);
})();

export interface Component {
  id: number;
  h: number;
  v: number;
  quantIndex: number;
  quant: Uint16Array | null;
  aan: Float64Array | null;
  blocksPerLine: number;
  blocksPerColumn: number;
  /** Samples in this component (before padding to whole blocks). */
  samplesWide: number;
  samplesHigh: number;
  /**
   * Quantized coefficients, `slotCount` per block. Sequential files keep all 64 in natural
   * order. Progressive files keep only the top-left blockSize² (all the scaled IDCT reads), in
   * `slots` order, plus a 64-bit "is nonzero" mask per block for the dropped ones, which is all
   * that successive-approximation refinement needs to know about them.
   */
  coefs: Int16Array;
  /** Natural index → slot in a block's stored coefficients, or -1 when dropped. */
  slots: Int8Array;
  slotCount: number;
  /** Two words per block: bit k set when zigzag coefficient k (dropped) is nonzero. */
  nonzero: Uint32Array;
  dcTable: HuffmanTable | null;
  acTable: HuffmanTable | null;
  predictor: number;
  /** IDCT output size for this component's blocks: larger than the luma's when subsampled. */
  blockSize: BlockSize;
  strip: Uint8Array;
  stripStride: number;
  xMap: Int32Array;
  /** Output row within an MCU row → strip row. */
  yMap: Int32Array;
}
