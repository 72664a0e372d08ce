/**
 * The Pose Generator's form: what to generate, its options, what it costs, what stops it from
 * being sent, and the request body it makes. Prices and limits come from GET /api/apps.
 */
import { createMemo, createSignal, type Accessor } from "solid-js";
import type { z } from "zod";
import type { PoseGenerationBody } from "../../../worker/apps/pose-generator/schema";
import { api, call, type Data } from "../lib/api";
import { checkImageFile, ImageProblem } from "../lib/image-file";
import { promptProblem } from "../lib/pose-prompt";
import { OUT_OF_DATE, publishedRanges, type AppSummary, type Range, type UploadRule } from "./catalog";
import type { Pose } from "./pose-library";

type Body = z.input<typeof PoseGenerationBody>;
export type GenerationType = Body["generationType"];
export type BackgroundChoice = "none" | NonNullable<Body["backgroundMode"]>;
export type ExportFormat = NonNullable<Body["outputFormats"]>[number];
export type BackgroundUpload = Data<(typeof api.apps)["pose-generator"]["projects"][":projectId"]["backgrounds"]["$post"]>;

const HEX = /^#[0-9a-f]{6}$/i;
const EXPORT_FORMATS: readonly ExportFormat[] = ["original", "instagram_post", "instagram_story", "thumbnail"];
const RANGES = ["poses", "batch", "prompt", "promptWords", "variations", "backgroundPrompt"] as const;

/** What the server publishes for this app: the ranges it checks and the export sizes it offers, in its order. */
export type PoseLimits = Record<(typeof RANGES)[number], Range> & { exportSizes: readonly ExportFormat[] };

/** The app's published limits, or null when one this form needs is missing. */
export function readPoseLimits(app: AppSummary): PoseLimits | null {
  const ranges = publishedRanges(app, RANGES);
  const exportSizes = (app.limits.options.exportSizes ?? []).filter((s): s is ExportFormat => (EXPORT_FORMATS as readonly string[]).includes(s));
  return ranges && exportSizes.length ? { ...ranges, exportSizes } : null;
}

export interface Prices {
  pose: number;
  backgroundChanger: number;
}

const clamp = (n: number, { min, max }: Range) => (Number.isFinite(n) ? Math.min(max, Math.max(min, Math.round(n))) : min);

/**
 * `limits` is undefined while the catalogue loads and null when it lacks one: either way nothing
 * is sent. `uploads` is the server's upload rule, checked in the browser before an upload.
 */
export function createPoseForm(projectId: () => string | undefined, limits: Accessor<PoseLimits | null | undefined>, uploads: Accessor<UploadRule | undefined>) {
  const [mode, setMode] = createSignal<GenerationType>("GALLERY_REFERENCE");
  /** Picked poses in the order they were picked; kept across searches and filters. */
  const [selected, setSelected] = createSignal<ReadonlyMap<string, Pose>>(new Map());
  const [batchSize, setBatchSize] = createSignal(1);
  const [textPrompt, setTextPrompt] = createSignal("");
  const [variationCount, setVariationCount] = createSignal(1);
  const [background, setBackground] = createSignal<BackgroundChoice>("none");
  const [backgroundColor, setBackgroundColor] = createSignal("#eef0ff");
  const [backgroundPrompt, setBackgroundPrompt] = createSignal("");
  const [upload, setUpload] = createSignal<BackgroundUpload | null>(null);
  const [uploading, setUploading] = createSignal(false);
  const [uploadError, setUploadError] = createSignal<unknown>(null);
  const [formats, setFormats] = createSignal<readonly ExportFormat[]>(["original"]);
  const [avatarId, setAvatarId] = createSignal<string | null>(null);

  /** Kept within the published range; without one (still loading) the field is not shown. */
  const bounded = (set: (n: number) => void, range: "batch" | "variations") => (n: number) => {
    const known = limits()?.[range];
    if (known) set(clamp(n, known));
  };

  function toggle(pose: Pose) {
    const next = new Map(selected());
    if (next.has(pose.id)) next.delete(pose.id);
    else next.set(pose.id, pose);
    setSelected(next);
  }

  function toggleFormat(format: ExportFormat) {
    const current = formats();
    setFormats(current.includes(format) ? current.filter((f) => f !== format) : [...current, format]);
  }

  const items = createMemo(() => (mode() === "GALLERY_REFERENCE" ? selected().size * batchSize() : variationCount()));
  const changesBackground = () => background() !== "none";

  const colorProblem = () => (background() === "solid_color" && !HEX.test(backgroundColor()) ? "Give the colour as #RRGGBB, e.g. #1e3a8a" : null);
  const backgroundPromptProblem = () => {
    if (background() !== "ai_generate") return null;
    const range = limits()?.backgroundPrompt;
    if (!range) return null;
    const length = backgroundPrompt().trim().length;
    const { min, max } = range;
    if (length < min) return `Describe the background in at least ${min} characters`;
    if (length > max) return `Keep the background description to ${max} characters`;
    return null;
  };
  const textProblem = () => {
    const l = limits();
    return mode() === "TEXT_DESCRIPTION" && l ? promptProblem(textPrompt(), l) : null;
  };

  /** The first thing keeping the form from being sent, in words; null when it can go. */
  const blocker = createMemo((): string | null => {
    const l = limits();
    if (l === null) return OUT_OF_DATE;
    if (!l) return "Loading prices and your balance…";
    if (!projectId()) return "Create or choose a project first.";
    if (mode() === "GALLERY_REFERENCE") {
      if (selected().size === 0) return "Pick at least one pose from the library.";
      if (selected().size > l.poses.max) return `Pick at most ${l.poses.max} poses.`;
    } else if (textProblem()) return textPrompt().trim() ? "Fix the pose description." : "Describe the pose you want.";
    if (background() === "upload" && !upload()) return uploading() ? "Wait for the background upload to finish." : "Upload a background image.";
    if (colorProblem() ?? backgroundPromptProblem()) return "Fix the background.";
    if (formats().length === 0) return "Choose at least one export size.";
    return null;
  });

  function cost(prices: Prices) {
    const n = items();
    const lines = [{ label: `${n} × pose (${prices.pose})`, amount: n * prices.pose }];
    if (changesBackground()) lines.push({ label: `${n} × background changer (${prices.backgroundChanger})`, amount: n * prices.backgroundChanger });
    return { lines, total: lines.reduce((sum, l) => sum + l.amount, 0) };
  }

  /** The request body for POST /api/apps/pose-generator/generations. */
  function body(project: string): Body {
    const bg = background();
    const formatsInOrder = EXPORT_FORMATS.filter((f) => formats().includes(f));
    return {
      projectId: project,
      generationType: mode(),
      ...(mode() === "GALLERY_REFERENCE" ? { selectedPoseIds: [...selected().keys()], batchSize: batchSize() } : { textPrompt: textPrompt().trim(), variationCount: variationCount() }),
      ...(avatarId() ? { avatarId: avatarId()! } : {}),
      useBackgroundChanger: bg !== "none",
      ...(bg === "solid_color" ? { backgroundMode: bg, backgroundColor: backgroundColor().toLowerCase() } : {}),
      ...(bg === "ai_generate" ? { backgroundMode: bg, backgroundPrompt: backgroundPrompt().trim() } : {}),
      ...(bg === "upload" && upload() ? { backgroundMode: bg, backgroundUploadId: upload()!.id } : {}),
      outputFormats: formatsInOrder,
    };
  }

  /** Checks the file in the browser first, then uploads it to the current project. */
  async function uploadBackground(file: File): Promise<void> {
    const project = projectId();
    const rule = uploads();
    if (!project || !rule || uploading()) return;
    setUploadError(null);
    setUploading(true);
    try {
      const checked = await checkImageFile(file, rule);
      const form = new FormData();
      form.set("file", checked.file);
      const stored = await call(api.apps["pose-generator"].projects[":projectId"].backgrounds.$post({ param: { projectId: project } }, { init: { body: form } }));
      if (projectId() === project) setUpload(stored);
    } catch (e) {
      setUploadError(e);
    } finally {
      setUploading(false);
    }
  }

  /** A background upload belongs to one project. */
  function forgetUpload() {
    setUpload(null);
    setUploadError(null);
  }

  return {
    mode,
    setMode,
    selected,
    toggle,
    clearSelection: () => setSelected(new Map()),
    batchSize,
    setBatchSize: bounded(setBatchSize, "batch"),
    textPrompt,
    setTextPrompt,
    textProblem,
    variationCount,
    setVariationCount: bounded(setVariationCount, "variations"),
    background,
    setBackground,
    backgroundColor,
    setBackgroundColor,
    colorProblem,
    backgroundPrompt,
    setBackgroundPrompt,
    backgroundPromptProblem,
    upload,
    uploading,
    uploadError,
    uploadProblem: () => {
      const e = uploadError();
      return e instanceof ImageProblem ? e.message : null;
    },
    uploadBackground,
    forgetUpload,
    formats,
    toggleFormat,
    avatarId,
    setAvatarId,
    items,
    changesBackground,
    blocker,
    cost,
    body,
  };
}

export type PoseForm = ReturnType<typeof createPoseForm>;
