import { env } from "cloudflare:test";
import { Hono } from "hono";
import { beforeAll, describe, expect, it } from "vitest";
import { type COCO_KEYPOINTS, keypoint, KeypointsSchema, type Keypoints } from "../../../worker/ai/skeleton";
import { CATEGORY_IDS, DIFFICULTIES, POSES } from "../../../worker/apps/pose-generator/library/catalog";
import { loadPoseKeypoints } from "../../../worker/apps/pose-generator/library/poses";
import { poseLibraryRoutes } from "../../../worker/apps/pose-generator/library/routes";
import { db } from "../../../worker/db/client";
import { ApiError } from "../../../worker/core/errors";
import { buildOpenApi } from "../../../worker/http/openapi";
import { errorOf, register } from "../../support/client";
import { library, MOUNT } from "../../support/pose-library";

const distance = (points: Keypoints, a: (typeof COCO_KEYPOINTS)[number], b: (typeof COCO_KEYPOINTS)[number]) => {
  const [ax, ay] = keypoint(points, a);
  const [bx, by] = keypoint(points, b);
  return Math.hypot(ax - bx, ay - by);
};
const midpoint = (points: Keypoints, a: (typeof COCO_KEYPOINTS)[number], b: (typeof COCO_KEYPOINTS)[number]) => {
  const [ax, ay] = keypoint(points, a);
  const [bx, by] = keypoint(points, b);
  return [(ax + bx) / 2, (ay + by) / 2] as const;
};

describe("the pose catalog", () => {
  it("has at least 60 poses across at least 6 categories, with unique slugs and names", () => {
    expect(POSES.length).toBeGreaterThanOrEqual(60);
    expect(new Set(POSES.map((p) => p.category)).size).toBeGreaterThanOrEqual(6);
    expect(new Set(POSES.map((p) => p.id)).size).toBe(POSES.length);
    expect(new Set(POSES.map((p) => p.name.toLowerCase())).size).toBe(POSES.length);
    for (const p of POSES) {
      expect(p.id).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
      expect(CATEGORY_IDS).toContain(p.category);
      expect(DIFFICULTIES).toContain(p.difficulty);
      expect(p.tags.length, p.id).toBeGreaterThan(0);
    }
  });

  it("gives every pose a valid COCO-17 skeleton inside the frame", () => {
    for (const p of POSES) {
      expect(KeypointsSchema.safeParse(p.keypoints).success, p.id).toBe(true);
      for (const [x, y] of p.keypoints) {
        expect(x >= 0.05 && x <= 0.95 && y >= 0.05 && y <= 0.95, `${p.id} ${x},${y}`).toBe(true);
      }
    }
  });

  it("keeps human proportions: no bone longer than it is relative to the torso", () => {
    for (const p of POSES) {
      const k = p.keypoints;
      const torso = Math.hypot(...(midpoint(k, "left_shoulder", "right_shoulder").map((v, i) => v - midpoint(k, "left_hip", "right_hip")[i]!) as [number, number]));
      const ratio = (a: (typeof COCO_KEYPOINTS)[number], b: (typeof COCO_KEYPOINTS)[number]) => distance(k, a, b) / torso;
      for (const side of ["left", "right"] as const) {
        expect(ratio(`${side}_shoulder`, `${side}_elbow`), p.id).toBeLessThanOrEqual(0.58);
        expect(ratio(`${side}_elbow`, `${side}_wrist`), p.id).toBeLessThanOrEqual(0.51);
        expect(ratio(`${side}_hip`, `${side}_knee`), p.id).toBeLessThanOrEqual(0.82);
        expect(ratio(`${side}_knee`, `${side}_ankle`), p.id).toBeLessThanOrEqual(0.82);
      }
      expect(ratio("left_shoulder", "right_shoulder"), p.id).toBeLessThanOrEqual(0.78);
      expect(ratio("nose", "left_shoulder"), p.id).toBeLessThanOrEqual(0.7);
    }
  });
});

describe("the seed migration", () => {
  it("leaves the poses table equal to the catalog", async () => {
    const { results } = await env.DB.prepare("SELECT id, name, category, difficulty, tags, keypoints, position FROM poses ORDER BY position").all<Record<string, string | number>>();
    const rows = results.map((r) => ({ ...r, tags: JSON.parse(String(r.tags)) as unknown, keypoints: JSON.parse(String(r.keypoints)) as unknown }));
    expect(rows).toEqual(POSES.map((p) => ({ ...p, keypoints: p.keypoints.map((pt) => [...pt]) })));
  });
});

describe("one pose", () => {
  let token: string;
  beforeAll(async () => {
    token = (await register()).token;
  });

  it("answers with its keypoints and a preview URL", async () => {
    const expected = POSES.find((p) => p.id === "fitness-tree")!;
    const res = await library("/library/fitness-tree", token);
    expect(res.status).toBe(200);
    const body = await res.json<{ id: string; name: string; category: string; keypoints: number[][]; previewUrl: string }>();
    expect(body).toMatchObject({ id: expected.id, name: expected.name, category: "fitness", difficulty: expected.difficulty, tags: expected.tags });
    expect(body.keypoints).toEqual(expected.keypoints.map((pt) => [...pt]));
    expect(body.previewUrl).toMatch(/^\/api\/files\/shared\/poses\/fitness-tree\.png\?exp=\d+&sig=[\w-]+$/);
  });

  it("answers 404 for an unknown pose", async () => {
    for (const id of ["no-such-pose", "STANDING-RELAXED", "%25", "standing-relaxed%27"]) {
      const res = await library(`/library/${id}`, token);
      expect(res.status, id).toBe(404);
      expect((await errorOf(res)).code).toBe("NOT_FOUND");
    }
  });

  it("answers 401 without a token, on every library route", async () => {
    for (const path of ["/library", "/library?search=hero", "/library/categories", "/library/standing-relaxed", "/library/no-such-pose"]) {
      const res = await library(path);
      expect(res.status, path).toBe(401);
      expect((await errorOf(res)).code).toBe("UNAUTHENTICATED");
    }
    expect((await library("/library", "not.a.token")).status).toBe(401);
  });
});

describe("loadPoseKeypoints", () => {
  it("loads a library pose's keypoints for the Pose Generator", async () => {
    const expected = POSES.find((p) => p.id === "dance-arabesque")!;
    expect(await loadPoseKeypoints(db(env.DB), "dance-arabesque")).toEqual(expected.keypoints.map((pt) => [...pt]));
  });

  it("throws a 404 ApiError for an unknown id", async () => {
    const failure = await loadPoseKeypoints(db(env.DB), "no-such-pose").catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(ApiError);
    expect((failure as ApiError).status).toBe(404);
  });
});

describe("the OpenAPI document", () => {
  it("documents every library route with its parameters, behind bearer auth", () => {
    const { paths } = buildOpenApi(new Hono().route(MOUNT, poseLibraryRoutes), { title: "t", version: "1" });
    expect(Object.keys(paths).sort()).toEqual([`${MOUNT}/library`, `${MOUNT}/library/categories`, `${MOUNT}/library/{id}`]);
    const list = paths[`${MOUNT}/library`]!.get as { parameters: Array<{ name: string }>; security: unknown };
    expect(list.parameters.map((p) => p.name).sort()).toEqual(["category", "cursor", "limit", "search"]);
    expect(list.security).toEqual([{ bearer: [] }]);
  });
});
