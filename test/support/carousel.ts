/** Calls Carousel Mix (mounted at /api/apps/carousel-mix) as a client would, and reads what it makes. */
import { env } from "cloudflare:test";
import { expect } from "vitest";
import { accountOf } from "../../worker/account/client";
import { decodeImage } from "../../worker/media/decode";
import type { RgbaImage } from "../../worker/media/rgba";
import { api, BASE, register, type Client, type ClientInit } from "./client";
import { createProject } from "./generations";
import { buildPng } from "./images";
import { photoPng } from "./avatars";

export const APP = "carousel-mix";
export const MOUNT = `/api/apps/${APP}`;

export interface ImageView {
  id: string;
  thumbnailUrl: string;
  width: number;
  height: number;
}
export interface PositionView {
  id: string;
  index: number;
  images: ImageView[];
  captions: { text: string; style?: Record<string, unknown> }[];
}
export interface SlidesView {
  positions: PositionView[];
  combinations: number;
}
export interface CarouselItem {
  key: string;
  status: string;
  outputs: { slide: number; url: string; width: number; height: number }[];
  zipUrl: string | null;
  thumbnailUrl: string | null;
  error: string | null;
}

export function carouselApi(path: string, init: ClientInit = {}): Promise<Response> {
  return api(`${MOUNT}${path}`, init);
}

/** A user with `credits` more than the signup grant. */
export async function funded(credits: number): Promise<Client> {
  const user = await register();
  if (credits > 0) {
    const granted = await accountOf(env, user.userId).credit({ idempotencyKey: "carousel-grant", amount: credits, kind: "grant", reference: null, description: "Test credits" });
    expect(granted.ok).toBe(true);
  }
  return user;
}

/** One flat colour: makes caption ink easy to find. */
export const flatPng = (width: number, height: number, rgb: [number, number, number] = [90, 120, 150]) => buildPng({ width, height, colorType: 2, depth: 8, pixel: () => rgb });

export function putSlides(client: Client, projectId: string, positions: { id?: string; captions?: { text: string; style?: Record<string, unknown> }[] }[]): Promise<Response> {
  return carouselApi(`/projects/${projectId}/slides`, { method: "PUT", token: client.token, json: { positions } });
}

export async function setSlides(client: Client, projectId: string, positions: { id?: string; captions?: { text: string; style?: Record<string, unknown> }[] }[]): Promise<SlidesView> {
  const res = await putSlides(client, projectId, positions);
  expect(res.status, await res.clone().text()).toBe(200);
  return res.json<SlidesView>();
}

export async function uploadImage(client: Client, projectId: string, positionId: string, bytes?: Uint8Array): Promise<Response> {
  const form = new FormData();
  form.set("file", new File([bytes ?? (await photoPng())], "photo.png", { type: "image/png" }));
  return carouselApi(`/projects/${projectId}/slides/${positionId}/images`, { method: "POST", token: client.token, body: form });
}

export async function addImage(client: Client, projectId: string, positionId: string, bytes?: Uint8Array): Promise<ImageView> {
  const res = await uploadImage(client, projectId, positionId, bytes);
  expect(res.status, await res.clone().text()).toBe(201);
  return (await res.json<{ image: ImageView }>()).image;
}

/**
 * A carousel project with one position per entry: `images` candidate uploads and these
 * captions. Returns the project and its slides as the API shows them.
 */
export async function buildProject(client: Client, spec: { images: number; captions: string[] }[], image?: () => Promise<Uint8Array>): Promise<{ projectId: string; slides: SlidesView }> {
  const projectId = await createProject(client, APP);
  const slides = await setSlides(
    client,
    projectId,
    spec.map((p) => ({ captions: p.captions.map((text) => ({ text })) })),
  );
  for (const [i, p] of spec.entries()) {
    for (let n = 0; n < p.images; n++) await addImage(client, projectId, slides.positions[i]!.id, image ? await image() : undefined);
  }
  const res = await carouselApi(`/projects/${projectId}/slides`, { token: client.token });
  return { projectId, slides: await res.json<SlidesView>() };
}

export async function download(url: string): Promise<Uint8Array> {
  const res = await api(new URL(url, BASE).pathname + new URL(url, BASE).search);
  expect(res.status, url).toBe(200);
  return new Uint8Array(await res.arrayBuffer());
}

export const decoded = async (bytes: Uint8Array): Promise<RgbaImage> => (await decodeImage(bytes, { maxPixels: 1080 * 1920 })).image;
