/**
 * Carousel Mix: a project's slide positions (saved with PUT, images uploaded per position),
 * the bundled fonts, and the carousels of a generation parsed into their slides and ZIP links.
 */
import { createEffect, createResource, createSignal, on } from "solid-js";
import { api, call, type Data } from "../lib/api";
import type { GenerationItem } from "./generation";
import type { AppSummary } from "./studio";

const mix = api.apps["carousel-mix"];
const slides = mix.projects[":projectId"].slides;

export type Slides = Data<typeof slides.$get>;
export type Position = Slides["positions"][number];
export type Font = Data<typeof mix.fonts.$get>["fonts"][number];

/** A position as the editor holds it before saving: new ones have no id yet. */
export interface DraftPosition {
  id?: string;
  captions: string[];
}

const RANGES = ["positions", "images", "captions", "caption", "count", "size"] as const;
export type CarouselLimits = Record<(typeof RANGES)[number], { min: number; max: number }>;

/** The ranges GET /api/apps publishes for Carousel Mix (what the server enforces), or null until all are known. */
export function carouselLimits(app: AppSummary | undefined): CarouselLimits | null {
  if (!app) return null;
  const limits: Partial<CarouselLimits> = {};
  for (const name of RANGES) {
    const range = app.limits.ranges[name];
    if (!range) return null;
    limits[name] = range;
  }
  return limits as CarouselLimits;
}

export function createSlidesStore(projectId: () => string | undefined) {
  const [state, { refetch, mutate }] = createResource(projectId, (id) => call(slides.$get({ param: { projectId: id } })));
  const [draft, setDraft] = createSignal<DraftPosition[]>([]);
  const [dirty, setDirty] = createSignal(false);
  const fromServer = (s: Slides) => {
    mutate(s);
    // A new project starts with three empty slides to fill in.
    setDraft(s.positions.length > 0 ? s.positions.map((p) => ({ id: p.id, captions: p.captions.map((c) => c.text) })) : [{ captions: [] }, { captions: [] }, { captions: [] }]);
    setDirty(s.positions.length === 0);
  };
  createEffect(
    on(
      () => (state.state === "ready" ? state() : undefined),
      (s) => s && fromServer(s),
    ),
  );

  const edit = (next: DraftPosition[]) => {
    setDraft(next);
    setDirty(true);
  };

  /** Saves the draft's positions and captions (empty captions are dropped); returns the saved slides. */
  async function save(): Promise<Slides> {
    const id = projectId();
    if (!id) throw new Error("save() without a project");
    const positions = draft().map((p) => ({
      ...(p.id ? { id: p.id } : {}),
      captions: p.captions
        .map((t) => t.trim())
        .filter(Boolean)
        .map((text) => ({ text })),
    }));
    const saved = await call(slides.$put({ param: { projectId: id }, json: { positions } }));
    fromServer(saved);
    return saved;
  }

  /** Uploads into the draft's position `index`, saving the draft first if it changed. */
  async function upload(index: number, file: File): Promise<void> {
    const id = projectId();
    if (!id) throw new Error("upload() without a project");
    const saved = dirty() || !draft()[index]?.id ? await save() : state();
    const position = saved?.positions[index];
    if (!position) throw new Error("no such slide");
    const form = new FormData();
    form.set("file", file);
    await call(slides[":positionId"].images.$post({ param: { projectId: id, positionId: position.id } }, { init: { body: form } }));
    await refetch();
  }

  async function removeImage(positionId: string, imageId: string): Promise<void> {
    const id = projectId();
    if (!id) return;
    await call(slides[":positionId"].images[":imageId"].$delete({ param: { projectId: id, positionId, imageId } }));
    await refetch();
  }

  const current = () => (state.state === "ready" || state.state === "refreshing" ? state.latest : undefined);
  return { state, current, draft, dirty, edit, save, upload, removeImage, refetch: () => void refetch() };
}

export type SlidesStore = ReturnType<typeof createSlidesStore>;

export function createFontsStore() {
  const [fonts, { refetch }] = createResource(async () => (await call(mix.fonts.$get())).fonts);
  return { fonts, refetch: () => void refetch() };
}

export interface CarouselSlide {
  slide: number;
  url: string;
  width: number;
  height: number;
}

const isSlide = (v: unknown): v is CarouselSlide => {
  if (typeof v !== "object" || v === null) return false;
  const s = v as Record<string, unknown>;
  return typeof s.slide === "number" && typeof s.url === "string" && typeof s.width === "number" && typeof s.height === "number";
};

/** A carousel item lists its slides in `outputs` and carries its ZIP link (see the API contract). */
export function carouselOf(item: GenerationItem): { slides: CarouselSlide[]; zipUrl: string | null } {
  const outputs: unknown = item.outputs;
  const zipUrl = (item as { zipUrl?: unknown }).zipUrl;
  return { slides: Array.isArray(outputs) ? outputs.filter(isSlide) : [], zipUrl: typeof zipUrl === "string" ? zipUrl : null };
}

/** A fresh signed link to the ZIP of every finished carousel of the generation. */
export async function generationZipUrl(generationId: string): Promise<string> {
  return (await call(mix.generations[":generationId"].download.$get({ param: { generationId } }))).zipUrl;
}
