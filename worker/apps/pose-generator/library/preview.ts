/**
 * Pose previews: the figure rasterizer draws each skeleton once into R2 (shared/poses/<id>.png),
 * and clients get a signed /api/files URL to it, which works in an <img> without a token.
 */
import { Canvas } from "../../../ai/canvas";
import { drawFigure, type FigureStyle } from "../../../ai/figure";
import type { Keypoints } from "../../../ai/skeleton";
import { encodeRgba } from "../../../media/encode";
import { createRgba } from "../../../media/rgba";
import { sharedKey } from "../../../storage/keys";
import { signFileUrl } from "../../../storage/signed-url";

export const PREVIEW_SIZE = 256;
/** Bump when the drawing changes, so every stored preview is redrawn on its next request. */
const RENDERER = "figure-1";
const PREFIX = sharedKey("poses/");

const STYLE: FigureStyle = {
  body: { r: 79, g: 70, b: 229 },
  outline: { r: 30, g: 27, b: 75 },
  skin: { r: 241, g: 194, b: 160 },
  joint: { r: 250, g: 204, b: 21 },
};

export const previewKey = (poseId: string) => `${PREFIX}${poseId}.png`;

/** FNV-1a: a short, stable fingerprint of what the picture is drawn from. */
function fingerprint(text: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193);
  return (hash >>> 0).toString(16).padStart(8, "0");
}

/** Changes whenever the picture would: another skeleton or another renderer. */
export const previewVersion = (keypoints: Keypoints) => `${RENDERER}:${fingerprint(JSON.stringify(keypoints))}`;

/** A transparent square PNG with the figure; deterministic, so re-rendering writes the same bytes. */
export function renderPreview(keypoints: Keypoints): Uint8Array {
  const canvas = new Canvas(createRgba(PREVIEW_SIZE, PREVIEW_SIZE));
  drawFigure(canvas, keypoints, STYLE);
  return encodeRgba(canvas.image, { format: "png" }).bytes;
}

/** The version each stored preview was drawn at, in one listing (R2 listings are strongly consistent). */
async function storedVersions(bucket: R2Bucket): Promise<Map<string, string | undefined>> {
  const versions = new Map<string, string | undefined>();
  let cursor: string | undefined;
  do {
    const listing = await bucket.list({ prefix: PREFIX, cursor, include: ["customMetadata"] });
    for (const object of listing.objects) versions.set(object.key, object.customMetadata?.version);
    cursor = listing.truncated ? listing.cursor : undefined;
  } while (cursor);
  return versions;
}

interface Previewable {
  id: string;
  keypoints: Keypoints;
}

/**
 * Renders and stores the previews that are missing or stale, then signs a URL for each pose.
 * Every URL handed out points at an object that exists. Concurrent first requests may both
 * render: same key, same bytes, so whichever write lands last is as good as the first.
 */
export async function previewUrls(bucket: R2Bucket, secret: string, poses: readonly Previewable[]): Promise<Map<string, string>> {
  if (poses.length === 0) return new Map();
  const stored = await storedVersions(bucket);
  const stale = poses.filter((p) => stored.get(previewKey(p.id)) !== previewVersion(p.keypoints));
  await Promise.all(
    stale.map((p) =>
      bucket.put(previewKey(p.id), renderPreview(p.keypoints), {
        httpMetadata: { contentType: "image/png" },
        customMetadata: { version: previewVersion(p.keypoints) },
      }),
    ),
  );
  const urls = await Promise.all(poses.map(async (p) => [p.id, await signFileUrl(secret, previewKey(p.id))] as const));
  return new Map(urls);
}
