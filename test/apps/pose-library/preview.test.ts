import { PhotonImage } from "@cf-wasm/photon";
import { env } from "cloudflare:test";
import { beforeAll, describe, expect, it } from "vitest";
import { keypoint, type KeypointName } from "../../../worker/ai/skeleton";
import { POSES } from "../../../worker/apps/pose-generator/library/catalog";
import { PREVIEW_SIZE, previewKey, previewVersion } from "../../../worker/apps/pose-generator/library/preview";
import { api, register } from "../../support/client";
import { library, listAll } from "../../support/pose-library";

let token: string;
beforeAll(async () => {
  token = (await register()).token;
});

const poseOf = (id: string) => POSES.find((p) => p.id === id)!;

async function previewUrlOf(id: string): Promise<string> {
  const res = await library(`/library/${id}`, token);
  expect(res.status).toBe(200);
  return (await res.json<{ previewUrl: string }>()).previewUrl;
}

/** Decoded RGBA pixels of a PNG. */
function decode(bytes: Uint8Array): { width: number; height: number; alphaAt: (x: number, y: number) => number; rgbAt: (x: number, y: number) => number[] } {
  const image = PhotonImage.new_from_byteslice(bytes);
  try {
    const width = image.get_width();
    const height = image.get_height();
    const pixels = image.get_raw_pixels();
    const at = (x: number, y: number) => (Math.round(y) * width + Math.round(x)) * 4;
    return { width, height, alphaAt: (x, y) => pixels[at(x, y) + 3]!, rgbAt: (x, y) => [...pixels.slice(at(x, y), at(x, y) + 3)] };
  } finally {
    image.free();
  }
}

/** The pixel halfway along a limb, in preview coordinates. */
function limbMidpoint(id: string, a: KeypointName, b: KeypointName): [number, number] {
  const k = poseOf(id).keypoints;
  const [ax, ay] = keypoint(k, a);
  const [bx, by] = keypoint(k, b);
  return [((ax + bx) / 2) * PREVIEW_SIZE, ((ay + by) / 2) * PREVIEW_SIZE];
}

describe("pose previews", () => {
  it("renders the figure into R2 on first request: a real PNG, opaque along the limbs, clear around them", async () => {
    const key = previewKey("standing-t-pose");
    await env.FILES.delete(key);
    const url = await previewUrlOf("standing-t-pose");
    expect(url).toMatch(/^\/api\/files\/shared\/poses\/standing-t-pose\.png\?exp=\d+&sig=[\w-]+$/);

    const object = await env.FILES.get(key);
    expect(object?.httpMetadata?.contentType).toBe("image/png");
    expect(object?.customMetadata?.version).toBe(previewVersion(poseOf("standing-t-pose").keypoints));
    const png = decode(new Uint8Array(await object!.arrayBuffer()));
    expect([png.width, png.height]).toEqual([PREVIEW_SIZE, PREVIEW_SIZE]);
    for (const [a, b] of [
      ["left_shoulder", "left_elbow"],
      ["right_elbow", "right_wrist"],
      ["left_hip", "left_knee"],
      ["right_knee", "right_ankle"],
    ] as const) {
      const [x, y] = limbMidpoint("standing-t-pose", a, b);
      expect(png.alphaAt(x, y), `${a}-${b}`).toBe(255);
    }
    // The limb fill is the body colour (indigo): blue dominates.
    const [r, g, blue] = png.rgbAt(...limbMidpoint("standing-t-pose", "left_hip", "left_knee"));
    expect(blue!).toBeGreaterThan(Math.max(r!, g!) + 80);
    for (const [x, y] of [
      [2, 2],
      [PREVIEW_SIZE - 3, 2],
      [2, PREVIEW_SIZE - 3],
      [PREVIEW_SIZE - 3, PREVIEW_SIZE - 3],
    ] as const) {
      expect(png.alphaAt(x, y)).toBe(0);
    }
  });

  it("hands out a signed URL that works without a token, with ETag and Cache-Control", async () => {
    const url = await previewUrlOf("dance-arabesque");
    const res = await api(url);
    expect(res.status).toBe(200);
    expect(res.headers.get("Content-Type")).toBe("image/png");
    expect(res.headers.get("Cache-Control")).toMatch(/max-age=\d+/);
    const etag = res.headers.get("ETag");
    expect(etag).toMatch(/^"[0-9a-f]{32}"$/);
    const bytes = new Uint8Array(await res.arrayBuffer());
    expect([...bytes.slice(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    expect((await api(url, { headers: { "If-None-Match": etag! } })).status).toBe(304);
    expect((await api(url.replace("dance-arabesque", "dance-pirouette"))).status).toBe(403);
  });

  it("renders each preview once: later requests reuse the stored object", async () => {
    const standing = POSES.filter((p) => p.category === "standing");
    await listAll({ category: "standing" }, token);
    const before = await Promise.all(standing.map((p) => env.FILES.head(previewKey(p.id))));
    expect(before.every(Boolean)).toBe(true);

    await listAll({ category: "standing", limit: "3" }, token);
    await previewUrlOf(standing[0]!.id);
    const after = await Promise.all(standing.map((p) => env.FILES.head(previewKey(p.id))));
    for (const [i, object] of after.entries()) {
      expect(object!.etag).toBe(before[i]!.etag);
      expect(object!.uploaded.getTime(), standing[i]!.id).toBe(before[i]!.uploaded.getTime());
    }
  });

  it("redraws a preview that is stale (drawn from another skeleton or renderer)", async () => {
    const key = previewKey("fitness-plank");
    await env.FILES.put(key, new Uint8Array([1, 2, 3]), { httpMetadata: { contentType: "image/png" }, customMetadata: { version: "figure-0:00000000" } });
    await previewUrlOf("fitness-plank");
    const object = await env.FILES.get(key);
    expect(object?.customMetadata?.version).toBe(previewVersion(poseOf("fitness-plank").keypoints));
    expect(decode(new Uint8Array(await object!.arrayBuffer())).width).toBe(PREVIEW_SIZE);
  });

  it("survives concurrent first requests for the same preview", async () => {
    const key = previewKey("action-sprint");
    await env.FILES.delete(key);
    const responses = await Promise.all([library("/library/action-sprint", token), library("/library/action-sprint", token), library("/library?category=action", token)]);
    expect(responses.map((r) => r.status)).toEqual([200, 200, 200]);
    const object = await env.FILES.get(key);
    expect(decode(new Uint8Array(await object!.arrayBuffer())).width).toBe(PREVIEW_SIZE);
  });
});
