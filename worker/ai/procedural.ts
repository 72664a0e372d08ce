/**
 * The default provider: offline and deterministic. It paints a palette, backdrop and subject
 * chosen from a hash of prompt + seed, and a figure in exactly the requested COCO-17 pose,
 * then encodes a PNG with photon. Same request → same bytes; another seed → another picture.
 */
import { encodeRgba } from "../media/encode";
import { createRgba } from "../media/rgba";
import { Canvas } from "./canvas";
import { ProviderError } from "./errors";
import { drawFigure, figureStyle } from "./figure";
import { makePalette } from "./palette";
import type { GeneratedImage, ImageProvider, ImageRequest } from "./provider";
import { Random, hashSeed } from "./random";
import { averageColor } from "./reference";
import { paintMotif, paintScene } from "./scene";

export const PROCEDURAL_MIN_SIDE = 64;
export const PROCEDURAL_MAX_SIDE = 2048;

export interface ProceduralOptions {
  /**
   * Fault injection for tests: a prompt containing this text (case-insensitive) fails with a
   * permanent ProviderError. Callers enable it only from test-only configuration.
   */
  failWhenPromptIncludes?: string;
}

const NAME = "procedural";

export function createProceduralProvider(options: ProceduralOptions = {}): ImageProvider {
  const trigger = options.failWhenPromptIncludes?.trim().toLowerCase();
  return {
    name: NAME,
    async generate(req: ImageRequest, signal?: AbortSignal): Promise<GeneratedImage> {
      if (trigger && req.prompt.toLowerCase().includes(trigger)) {
        throw new ProviderError(`${NAME}: injected failure for this prompt`, { retryable: false, provider: NAME, status: 422 });
      }
      checkSize(req.width, req.height);
      const reference = req.initImage ? await averageColor(req.initImage) : null;
      signal?.throwIfAborted();
      return render(req, reference);
    },
  };
}

function checkSize(width: number, height: number): void {
  for (const side of [width, height]) {
    if (!Number.isInteger(side) || side < PROCEDURAL_MIN_SIDE || side > PROCEDURAL_MAX_SIDE) {
      throw new ProviderError(`${NAME}: width and height must be integers in ${PROCEDURAL_MIN_SIDE}–${PROCEDURAL_MAX_SIDE}`, {
        retryable: false,
        provider: NAME,
        status: 400,
      });
    }
  }
}

function render(req: ImageRequest, reference: Awaited<ReturnType<typeof averageColor>>): GeneratedImage {
  const hash = hashSeed(req.prompt, req.seed);
  // Independent streams, so the figure's colours do not change with the background mode.
  const seeded = makePalette(req.prompt, new Random(hash));
  const palette = reference ? { ...seeded, body: reference } : seeded;
  const canvas = new Canvas(createRgba(req.width, req.height));
  if (req.background !== "transparent") paintScene(canvas, new Random(hash ^ 0x5eed0001), palette);
  if (req.pose) drawFigure(canvas, req.pose, figureStyle(palette));
  else paintMotif(canvas, new Random(hash ^ 0x5eed0002), palette);
  const encoded = encodeRgba(canvas.image, { format: "png" });
  return { bytes: encoded.bytes, contentType: "image/png", width: req.width, height: req.height, pixels: canvas.image };
}
