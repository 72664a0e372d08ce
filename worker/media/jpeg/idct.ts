/**
 * Inverse DCT of one 8×8 block to N×N pixels, N ∈ {8, 4, 2, 1}. A reduced size evaluates the
 * block's cosine series at the centres of the larger output pixels, so only the top-left N×N
 * coefficients matter: decoding at 1/2, 1/4 or 1/8 costs a fraction of a full decode and never
 * materialises the full-size image (libjpeg's "scaled decoding", which sharp's shrink-on-load uses).
 */

export type BlockSize = 8 | 4 | 2 | 1;

const A4 = 0.5 * Math.SQRT1_2;
const B4 = 0.5 * Math.cos(Math.PI / 8);
const D4 = 0.5 * Math.cos((3 * Math.PI) / 8);

/** Rounds, re-centres on 128 and clamps to a byte. */
function toByte(value: number): number {
  // `| 0` truncates, which after +0.5 rounds half up for every value that is not clamped anyway.
  const v = (value + 128.5) | 0;
  return v < 0 ? 0 : v > 255 ? 255 : v;
}

const work = new Float64Array(64);

/** AAN scale factors: cos(kπ/16)·√2 for k > 0, 1 for k = 0. */
const AAN = Array.from({ length: 8 }, (_, k) => (k === 0 ? 1 : Math.cos((k * Math.PI) / 16) * Math.SQRT2));

/**
 * A quantization table pre-multiplied for `idct8` (AAN scaling and the final ÷8 folded in).
 * Compute once per table, not per block.
 */
export function aanQuant(quant: Uint16Array): Float64Array {
  const out = new Float64Array(64);
  for (let row = 0; row < 8; row++) for (let col = 0; col < 8; col++) out[row * 8 + col] = (quant[row * 8 + col]! * AAN[row]! * AAN[col]!) / 8;
  return out;
}

/** Full-size 8×8 IDCT: the Arai–Agui–Nakajima float factorisation (as in libjpeg's jidctflt). */
export function idct8(coefs: Int16Array, offset: number, quant: Float64Array, out: Uint8Array, outOffset: number, stride: number): void {
  const ws = work;
  // Columns.
  for (let c = 0; c < 8; c++) {
    const i = offset + c;
    if (coefs[i + 8] === 0 && coefs[i + 16] === 0 && coefs[i + 24] === 0 && coefs[i + 32] === 0 && coefs[i + 40] === 0 && coefs[i + 48] === 0 && coefs[i + 56] === 0) {
      const dc = coefs[i]! * quant[c]!;
      for (let r = 0; r < 8; r++) ws[r * 8 + c] = dc;
      continue;
    }
    let t0 = coefs[i]! * quant[c]!;
    let t1 = coefs[i + 16]! * quant[16 + c]!;
    let t2 = coefs[i + 32]! * quant[32 + c]!;
    let t3 = coefs[i + 48]! * quant[48 + c]!;
    let t10 = t0 + t2;
    let t11 = t0 - t2;
    const t13 = t1 + t3;
    let t12 = (t1 - t3) * 1.414213562 - t13;
    t0 = t10 + t13;
    t3 = t10 - t13;
    t1 = t11 + t12;
    t2 = t11 - t12;
    let t4 = coefs[i + 8]! * quant[8 + c]!;
    let t5 = coefs[i + 24]! * quant[24 + c]!;
    let t6 = coefs[i + 40]! * quant[40 + c]!;
    let t7 = coefs[i + 56]! * quant[56 + c]!;
    const z13 = t6 + t5;
    const z10 = t6 - t5;
    const z11 = t4 + t7;
    const z12 = t4 - t7;
    t7 = z11 + z13;
    t11 = (z11 - z13) * 1.414213562;
    const z5 = (z10 + z12) * 1.847759065;
    t10 = 1.0823922 * z12 - z5;
    t12 = -2.61312593 * z10 + z5;
    t6 = t12 - t7;
    t5 = t11 - t6;
    t4 = t10 + t5;
    ws[c] = t0 + t7;
    ws[56 + c] = t0 - t7;
    ws[8 + c] = t1 + t6;
    ws[48 + c] = t1 - t6;
    ws[16 + c] = t2 + t5;
    ws[40 + c] = t2 - t5;
    ws[32 + c] = t3 + t4;
    ws[24 + c] = t3 - t4;
  }
  // Rows.
  for (let r = 0; r < 8; r++) {
    const w = r * 8;
    let t10 = ws[w]! + ws[w + 4]!;
    let t11 = ws[w]! - ws[w + 4]!;
    const t13 = ws[w + 2]! + ws[w + 6]!;
    let t12 = (ws[w + 2]! - ws[w + 6]!) * 1.414213562 - t13;
    const t0 = t10 + t13;
    const t3 = t10 - t13;
    const t1 = t11 + t12;
    const t2 = t11 - t12;
    const z13 = ws[w + 5]! + ws[w + 3]!;
    const z10 = ws[w + 5]! - ws[w + 3]!;
    const z11 = ws[w + 1]! + ws[w + 7]!;
    const z12 = ws[w + 1]! - ws[w + 7]!;
    const t7 = z11 + z13;
    t11 = (z11 - z13) * 1.414213562;
    const z5 = (z10 + z12) * 1.847759065;
    t10 = 1.0823922 * z12 - z5;
    t12 = -2.61312593 * z10 + z5;
    const t6 = t12 - t7;
    const t5 = t11 - t6;
    const t4 = t10 + t5;
    const o = outOffset + r * stride;
    out[o] = toByte(t0 + t7);
    out[o + 7] = toByte(t0 - t7);
    out[o + 1] = toByte(t1 + t6);
    out[o + 6] = toByte(t1 - t6);
    out[o + 2] = toByte(t2 + t5);
    out[o + 5] = toByte(t2 - t5);
    out[o + 4] = toByte(t3 + t4);
    out[o + 3] = toByte(t3 - t4);
  }
}

const scratch = new Float64Array(16);

/**
 * Reduced outputs: reads the top-left N×N quantized coefficients (natural order) from `coefs`
 * at `offset`, dequantizes with `quant`, writes N×N bytes to `out` at `outOffset`, `stride`
 * bytes per row.
 */
export function idctReduced(n: 4 | 2 | 1, coefs: Int16Array, offset: number, quant: Uint16Array, out: Uint8Array, outOffset: number, stride: number): void {
  if (n === 1) {
    out[outOffset] = toByte((coefs[offset]! * quant[0]!) / 8);
    return;
  }
  if (n === 2) {
    // M = ½·cos(π/4)·[[1, 1], [1, −1]], so the 2×2 output is a Hadamard transform ÷ 8.
    const a = coefs[offset]! * quant[0]!;
    const b = coefs[offset + 1]! * quant[1]!;
    const c = coefs[offset + 8]! * quant[8]!;
    const d = coefs[offset + 9]! * quant[9]!;
    out[outOffset] = toByte((a + b + c + d) / 8);
    out[outOffset + 1] = toByte((a - b + c - d) / 8);
    out[outOffset + stride] = toByte((a + b - c - d) / 8);
    out[outOffset + stride + 1] = toByte((a - b - c + d) / 8);
    return;
  }
  // 4-point IDCT with the 8-point normalization, split into even and odd halves:
  // A = ½·cos(π/4) (= ½·C(0)), B = ½·cos(π/8), D = ½·cos(3π/8).
  const rows = scratch;
  for (let v = 0; v < 4; v++) {
    const i = offset + v * 8;
    const q = v * 8;
    const f0 = coefs[i]! * quant[q]!;
    const f1 = coefs[i + 1]! * quant[q + 1]!;
    const f2 = coefs[i + 2]! * quant[q + 2]!;
    const f3 = coefs[i + 3]! * quant[q + 3]!;
    const e0 = A4 * (f0 + f2);
    const e1 = A4 * (f0 - f2);
    const o0 = B4 * f1 + D4 * f3;
    const o1 = D4 * f1 - B4 * f3;
    rows[v * 4] = e0 + o0;
    rows[v * 4 + 1] = e1 + o1;
    rows[v * 4 + 2] = e1 - o1;
    rows[v * 4 + 3] = e0 - o0;
  }
  for (let x = 0; x < 4; x++) {
    const f0 = rows[x]!;
    const f1 = rows[4 + x]!;
    const f2 = rows[8 + x]!;
    const f3 = rows[12 + x]!;
    const e0 = A4 * (f0 + f2);
    const e1 = A4 * (f0 - f2);
    const o0 = B4 * f1 + D4 * f3;
    const o1 = D4 * f1 - B4 * f3;
    const o = outOffset + x;
    out[o] = toByte(e0 + o0);
    out[o + stride] = toByte(e1 + o1);
    out[o + 2 * stride] = toByte(e1 - o1);
    out[o + 3 * stride] = toByte(e0 - o0);
  }
}
