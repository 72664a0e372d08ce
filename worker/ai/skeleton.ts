/** The COCO-17 body skeleton: keypoint names, limb pairs and the normalized keypoint shape. */
import { z } from "zod";

/** Keypoint order as in the COCO keypoint annotations; index = position in a `Keypoints` array. */
export const COCO_KEYPOINTS = [
  "nose",
  "left_eye",
  "right_eye",
  "left_ear",
  "right_ear",
  "left_shoulder",
  "right_shoulder",
  "left_elbow",
  "right_elbow",
  "left_wrist",
  "right_wrist",
  "left_hip",
  "right_hip",
  "left_knee",
  "right_knee",
  "left_ankle",
  "right_ankle",
] as const;

export type KeypointName = (typeof COCO_KEYPOINTS)[number];

/** `[x, y]`, each normalized to 0..1 of the image width and height (origin top left). */
export type Keypoint = readonly [x: number, y: number];

/** Exactly 17 keypoints in `COCO_KEYPOINTS` order. */
export type Keypoints = readonly Keypoint[];

/** The COCO skeleton's 19 limbs as pairs of keypoint names. */
export const COCO_LIMBS: ReadonlyArray<readonly [KeypointName, KeypointName]> = [
  ["left_ankle", "left_knee"],
  ["left_knee", "left_hip"],
  ["right_ankle", "right_knee"],
  ["right_knee", "right_hip"],
  ["left_hip", "right_hip"],
  ["left_shoulder", "left_hip"],
  ["right_shoulder", "right_hip"],
  ["left_shoulder", "right_shoulder"],
  ["left_shoulder", "left_elbow"],
  ["right_shoulder", "right_elbow"],
  ["left_elbow", "left_wrist"],
  ["right_elbow", "right_wrist"],
  ["left_eye", "right_eye"],
  ["nose", "left_eye"],
  ["nose", "right_eye"],
  ["left_eye", "left_ear"],
  ["right_eye", "right_ear"],
  ["left_ear", "left_shoulder"],
  ["right_ear", "right_shoulder"],
];

export function keypointIndex(name: KeypointName): number {
  return COCO_KEYPOINTS.indexOf(name);
}

/** The limbs as index pairs into a `Keypoints` array. */
export const COCO_LIMB_INDICES: ReadonlyArray<readonly [number, number]> = COCO_LIMBS.map(([a, b]) => [keypointIndex(a), keypointIndex(b)] as const);

const unit = z.number().min(0).max(1);

export const KeypointsSchema = z.array(z.tuple([unit, unit])).length(COCO_KEYPOINTS.length);

/** A keypoint by name; the schema guarantees all 17 are present. */
export function keypoint(points: Keypoints, name: KeypointName): Keypoint {
  const point = points[keypointIndex(name)];
  if (!point) throw new RangeError(`keypoints have no ${name}`);
  return point;
}
