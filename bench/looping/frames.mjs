// The benchmark's animation, the same in workerd and in Node: a photo-like still (gradients,
// a soft disc, fine texture and noise) panned by a sub-pixel amount per frame, so every frame
// is new to the encoder. Plain JavaScript, so both sides run exactly this code.

/** The still, RGBA, side × side. */
export function still(side) {
  const data = new Uint8Array(side * side * 4);
  let seed = 12345;
  for (let y = 0; y < side; y++) {
    for (let x = 0; x < side; x++) {
      seed = (seed * 1103515245 + 12345) >>> 0;
      const noise = ((seed >>> 16) & 15) - 8;
      const r = Math.hypot(x - side / 2, y - side / 2) / side;
      const disc = Math.max(0, 1 - (r / 0.3) ** 2);
      const wave = 30 * Math.sin(x / 7) * Math.sin(y / 9);
      const i = (y * side + x) * 4;
      data[i] = Math.max(0, Math.min(255, 40 + (150 * x) / side + 60 * disc + wave + noise));
      data[i + 1] = Math.max(0, Math.min(255, 40 + (150 * y) / side + 60 * disc - wave + noise));
      data[i + 2] = Math.max(0, Math.min(255, 60 + 120 * disc + wave + noise));
      data[i + 3] = 255;
    }
  }
  return { width: side, height: side, data };
}

/** Frame i of n into `out` (size² RGBA): the still shifted by a whole loop of sub-pixel pan, bilinear. */
export function drawFrame(source, size, i, n, out) {
  const margin = (source.width - size) / 2;
  const dx = margin * Math.sin((2 * Math.PI * i) / n);
  const dy = 0.5 * margin * Math.sin((4 * Math.PI * i) / n);
  const { data, width } = source;
  for (let y = 0; y < size; y++) {
    const fy = margin + y + dy;
    const y0 = fy | 0;
    const ay = fy - y0;
    for (let x = 0; x < size; x++) {
      const fx = margin + x + dx;
      const x0 = fx | 0;
      const ax = fx - x0;
      const i00 = (y0 * width + x0) * 4;
      const i10 = i00 + width * 4;
      const o = (y * size + x) * 4;
      for (let c = 0; c < 3; c++) {
        const top = data[i00 + c] + (data[i00 + 4 + c] - data[i00 + c]) * ax;
        const bottom = data[i10 + c] + (data[i10 + 4 + c] - data[i10 + c]) * ax;
        out[o + c] = top + (bottom - top) * ay + 0.5;
      }
      out[o + 3] = 255;
    }
  }
}

/** Whole-millisecond frame durations adding up to totalMs (as the Worker writes them). */
export function durations(n, totalMs) {
  const at = (k) => Math.round((k * totalMs) / n);
  return Array.from({ length: n }, (_, k) => at(k + 1) - at(k));
}
