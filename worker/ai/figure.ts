/** Draws a figure that follows a COCO-17 skeleton: outlined limbs, a torso, a head and joints. */
import type { Rgb } from "../media/color";
import type { Canvas, Point } from "./canvas";
import type { Palette } from "./palette";
import { COCO_LIMB_INDICES, type Keypoints, keypoint } from "./skeleton";

export interface FigureStyle {
  body: Rgb;
  outline: Rgb;
  skin: Rgb;
  joint: Rgb;
}

export function figureStyle(palette: Palette): FigureStyle {
  return { body: palette.body, outline: palette.outline, skin: palette.skin, joint: palette.joint };
}

/** Limb half-width in pixels: thick enough to read as a body at any output size. */
export function limbRadius(width: number, height: number): number {
  return Math.max(3, Math.min(width, height) * 0.022);
}

export function drawFigure(canvas: Canvas, pose: Keypoints, style: FigureStyle): void {
  const px = (name: Parameters<typeof keypoint>[1]): Point => {
    const [x, y] = keypoint(pose, name);
    return [x * canvas.width, y * canvas.height];
  };
  const points: Point[] = pose.map(([x, y]) => [x * canvas.width, y * canvas.height]);
  const radius = limbRadius(canvas.width, canvas.height);
  const outline = Math.max(1.5, radius * 0.3);

  const torso = [px("left_shoulder"), px("right_shoulder"), px("right_hip"), px("left_hip")];
  const shoulders = Math.hypot(torso[0]![0] - torso[1]![0], torso[0]![1] - torso[1]![1]);
  const headPoints = [px("nose"), px("left_eye"), px("right_eye"), px("left_ear"), px("right_ear")];
  const head: Point = [headPoints.reduce((s, p) => s + p[0], 0) / headPoints.length, headPoints.reduce((s, p) => s + p[1], 0) / headPoints.length];
  const headRadius = Math.min(Math.min(canvas.width, canvas.height) * 0.09, Math.max(radius * 1.8, shoulders * 0.42));

  // Outline pass first, then the fill on top: the dark rim separates the figure from any background.
  for (const [a, b] of COCO_LIMB_INDICES) canvas.strokeSegment(points[a]!, points[b]!, radius + outline, style.outline);
  canvas.fillCircle(head[0], head[1], headRadius + outline, style.outline);
  for (const [a, b] of COCO_LIMB_INDICES) canvas.strokeSegment(points[a]!, points[b]!, radius, style.body);
  canvas.fillConvexPolygon(torso, style.body);
  canvas.fillCircle(head[0], head[1], headRadius, style.skin);
  for (const eye of [px("left_eye"), px("right_eye")]) canvas.fillCircle(eye[0], eye[1], Math.max(1, headRadius * 0.12), style.outline);
  for (const p of points.slice(5)) canvas.fillCircle(p[0], p[1], radius * 0.55, style.joint);
}
