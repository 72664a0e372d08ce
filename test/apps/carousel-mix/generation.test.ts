/**
 * Carousel generations on the engine: one item per carousel at 5 credits, distinct seeded
 * combinations, slides at the chosen size, ZIPs holding exactly the slides, redelivery
 * collapsing into one set of outputs and one charge, and nothing visible to another user.
 */
import { env } from "cloudflare:test";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { CAROUSEL_COST } from "../../../worker/apps/carousel-mix/schema";
import { db } from "../../../worker/db/client";
import { generationItems, generations } from "../../../worker/db/schema";
import { GENERATION_QUEUE } from "../../../worker/generations/messages";
import { api, BASE, errorOf, expectErrorShape, register, type Client } from "../../support/client";
import { balanceOf, deliver, fetchWith, getGeneration, newKey, recordingQueue, submit, waitForFinal } from "../../support/generations";
import { sniffImage } from "../../../worker/media/sniff";
import { APP, buildProject, download, funded, setSlides, type CarouselItem } from "../../support/carousel";
import { keyOf } from "../../support/avatars";
import { readZip } from "../../support/unzip";

const SIGNUP = 100;
const THREE = [
  { images: 2, captions: ["Diskon 50%", "Gratis ongkir"] },
  { images: 2, captions: [] },
  { images: 1, captions: ["Order sekarang", "Stok terbatas", "Hari ini saja"] },
];

const itemsOf = (g: { items?: unknown[] }) => g.items as CarouselItem[];

/** What each carousel was made of (image and caption per slide), as frozen into its item. */
async function combinationsOf(generationId: string): Promise<string[]> {
  const rows = await db(env.DB).select().from(generationItems).where(eq(generationItems.generationId, generationId)).orderBy(generationItems.position);
  return rows.map((r) => (JSON.parse(r.params) as { slides: { imageId: string; caption: string | null }[] }).slides.map((s) => `${s.imageId}:${s.caption}`).join("|"));
}

async function submitRecorded(client: Client, body: Record<string, unknown>) {
  const { queue, sent } = recordingQueue();
  const res = await fetchWith({ GENERATION_QUEUE: queue }, `/api/apps/${APP}/generations`, { method: "POST", token: client.token, json: body, headers: { "Idempotency-Key": newKey() } });
  expect(res.status, await res.clone().text()).toBe(202);
  return { generation: (await res.json<{ generation: { id: string; cost: number; total: number } }>()).generation, sent };
}

const pathOf = (url: string) => {
  const u = new URL(url, BASE);
  return u.pathname + u.search;
};

describe("carousel generation", () => {
  it("makes 4 distinct carousels through the real queue, 3 slides of 1080×1920 each, charged 5 apiece, with ZIPs of exactly those slides", async () => {
    const alice = await register();
    const { projectId } = await buildProject(alice, THREE);
    const res = await submit(alice, { projectId, count: 4, aspect: "9:16", seed: 11, textStyle: { font: "noto-serif", size: 72, color: "#FFEE00", position: "top", box: false } }, newKey(), APP);
    expect(res.status, await res.clone().text()).toBe(202);
    const { generation } = await res.json<{ generation: { id: string; cost: number } }>();
    expect(generation.cost).toBe(4 * CAROUSEL_COST);

    const done = await waitForFinal(alice, generation.id, 60_000);
    expect(done).toMatchObject({ status: "completed", total: 4, completed: 4, charged: 20, refunded: 0 });
    expect(await balanceOf(alice)).toMatchObject({ balance: SIGNUP - 20, held: 0 });
    expect(new Set(await combinationsOf(generation.id)).size).toBe(4);

    const items = itemsOf(done);
    expect(items.map((i) => i.key)).toEqual(["carousel-1", "carousel-2", "carousel-3", "carousel-4"]);
    for (const item of items) {
      expect(item.outputs.map((o) => [o.slide, o.width, o.height])).toEqual([
        [1, 1080, 1920],
        [2, 1080, 1920],
        [3, 1080, 1920],
      ]);
      const slides = await Promise.all(item.outputs.map((o) => download(o.url)));
      for (const bytes of slides) expect(sniffImage(bytes)).toMatchObject({ format: "jpeg", width: 1080, height: 1920 });

      const zip = await api(pathOf(item.zipUrl!));
      expect(zip.status).toBe(200);
      expect(zip.headers.get("Content-Type")).toBe("application/zip");
      const body = new Uint8Array(await zip.arrayBuffer());
      expect(Number(zip.headers.get("Content-Length"))).toBe(body.length);
      const entries = readZip(body);
      expect(entries.map((e) => e.name)).toEqual(["slide-01.jpg", "slide-02.jpg", "slide-03.jpg"]);
      expect(entries.map((e) => e.bytes)).toEqual(slides);
    }

    // The whole generation: a folder per carousel, the same bytes.
    const all = await api(`/api/generations/${generation.id}/zip`, { token: alice.token });
    expect(all.status).toBe(200);
    const body = new Uint8Array(await all.arrayBuffer());
    expect(Number(all.headers.get("Content-Length"))).toBe(body.length);
    const entries = readZip(body);
    expect(entries.map((e) => e.name)).toEqual(items.flatMap((i) => ["01", "02", "03"].map((n) => `${i.key}/slide-${n}.jpg`)));
    expect(entries[4]!.bytes).toEqual(await download(items[1]!.outputs[1]!.url));

    // The signed link for the whole generation gives the same archive.
    const link = await api(`/api/apps/${APP}/generations/${generation.id}/download`, { token: alice.token });
    const viaLink = await api(pathOf((await link.json<{ zipUrl: string }>()).zipUrl));
    expect(new Uint8Array(await viaLink.arrayBuffer())).toEqual(body);
  });

  it("picks the same carousels for the same seed and others for another seed", async () => {
    const alice = await funded(1000);
    const { projectId } = await buildProject(alice, THREE);
    const a = await submitRecorded(alice, { projectId, count: 6, seed: 5 });
    const b = await submitRecorded(alice, { projectId, count: 6, seed: 5 });
    const c = await submitRecorded(alice, { projectId, count: 6, seed: 6 });
    const [ca, cb, cc] = await Promise.all([combinationsOf(a.generation.id), combinationsOf(b.generation.id), combinationsOf(c.generation.id)]);
    expect(new Set(ca).size).toBe(6);
    expect(cb).toEqual(ca);
    expect(cc).not.toEqual(ca);
  });

  it("replays the same Idempotency-Key with the same body, and refuses it with another body", async () => {
    const alice = await register();
    const { projectId } = await buildProject(alice, THREE);
    const key = newKey();
    const first = await submit(alice, { projectId, count: 2, seed: 1 }, key, APP);
    const again = await submit(alice, { projectId, count: 2, seed: 1 }, key, APP);
    expect([first.status, again.status]).toEqual([202, 202]);
    const id = (await first.json<{ generation: { id: string } }>()).generation.id;
    expect((await again.json<{ generation: { id: string } }>()).generation.id).toBe(id);
    const other = await submit(alice, { projectId, count: 3, seed: 1 }, key, APP);
    expect(other.status).toBe(409);
    await waitForFinal(alice, id, 60_000);
    expect(await balanceOf(alice)).toMatchObject({ balance: SIGNUP - 2 * CAROUSEL_COST, held: 0 });
  });

  it("gives a caption's own style precedence over the generation's text style", async () => {
    const alice = await register();
    const built = await buildProject(alice, [
      { images: 1, captions: [] },
      { images: 1, captions: [] },
    ]);
    const [a, b] = built.slides.positions;
    const projectId = built.projectId;
    const slides = await setSlides(alice, projectId, [
      { id: a!.id, captions: [{ text: "Plain" }] },
      { id: b!.id, captions: [{ text: "Loud", style: { color: "#FF0000", position: "top" } }] },
    ]);
    expect(slides.positions[1]!.captions).toEqual([{ text: "Loud", style: { color: "#FF0000", position: "top" } }]);
    const { generation } = await submitRecorded(alice, { projectId, count: 1, textStyle: { font: "noto-serif", size: 80, color: "#FFFFFF", position: "bottom", box: false } });
    const [item] = await db(env.DB).select().from(generationItems).where(eq(generationItems.generationId, generation.id));
    const planned = (JSON.parse(item!.params) as { slides: { caption: string; style: Record<string, unknown> }[] }).slides;
    expect(planned.map((p) => [p.caption, p.style])).toEqual([
      ["Plain", { font: "noto-serif", size: 80, color: "#FFFFFF", position: "bottom", box: false }],
      ["Loud", { font: "noto-serif", size: 80, color: "#FF0000", position: "top", box: false }],
    ]);
  });

  it("refuses more carousels than distinct combinations with a 422 naming the maximum, and charges nothing", async () => {
    const alice = await register();
    const { projectId } = await buildProject(alice, THREE);
    // 2×2 · 2 · 1×3 = 24 combinations.
    const over = await submit(alice, { projectId, count: 25 }, newKey(), APP);
    expect(over.status).toBe(422);
    const error = await errorOf(over);
    expect(error.message).toContain("24");
    expect(error.details).toMatchObject({ maximum: 24, requested: 25 });
    expect(await balanceOf(alice)).toMatchObject({ balance: SIGNUP, held: 0 });
    const listed = await api(`/api/generations?appId=${APP}`, { token: alice.token });
    expect((await listed.json<{ items: unknown[] }>()).items).toEqual([]);

    const exact = await submitRecorded(alice, { projectId, count: 20 });
    expect(exact.generation.total).toBe(20);
  });

  it("refuses a project with a slide position that has no image, and bad bodies, before charging", async () => {
    const alice = await register();
    const { projectId } = await buildProject(alice, [
      { images: 1, captions: [] },
      { images: 0, captions: ["x"] },
    ]);
    const empty = await submit(alice, { projectId, count: 1 }, newKey(), APP);
    expect(empty.status).toBe(422);
    expect((await errorOf(empty)).message).toMatch(/Slide 2 has no image/);
    for (const body of [
      { projectId, count: 0 },
      { projectId, count: 51 },
      { projectId, count: 1, aspect: "16:9" },
      { projectId, count: 1, textStyle: { color: "red" } },
      { projectId, count: 1, textStyle: { font: "comic-sans" } },
      { projectId, count: 1, cost: 0 },
    ]) {
      const res = await submit(alice, body, newKey(), APP);
      expect(res.status, JSON.stringify(body)).toBe(400);
      await expectErrorShape(res, "VALIDATION_ERROR");
    }
    expect(await balanceOf(alice)).toMatchObject({ balance: SIGNUP, held: 0 });
  });

  it("renders one set of slides and charges once when a carousel is delivered twice, at once and again later", async () => {
    const alice = await register();
    const { projectId } = await buildProject(alice, THREE);
    const { generation, sent } = await submitRecorded(alice, { projectId, count: 2, aspect: "1:1" });
    expect(sent).toHaveLength(2);
    await Promise.all([deliver(GENERATION_QUEUE, [sent[0]!, sent[0]!]), deliver(GENERATION_QUEUE, [sent[0]!])]);
    const first = itemsOf(await getGeneration(alice, generation.id))[0]!;
    expect(first.status).toBe("completed");
    const before = await Promise.all(first.outputs.map((o) => download(o.url)));
    await deliver(GENERATION_QUEUE, [sent[0]!, sent[1]!, sent[1]!], 2);
    const done = await getGeneration(alice, generation.id);
    expect(done).toMatchObject({ status: "completed", completed: 2, charged: 10, refunded: 0 });
    expect(await balanceOf(alice)).toMatchObject({ balance: SIGNUP - 10, held: 0 });
    const after = await Promise.all(itemsOf(done)[0]!.outputs.map((o) => download(o.url)));
    expect(after).toEqual(before);
    const gen = (await db(env.DB).select().from(generations).where(eq(generations.id, generation.id)).get())!;
    const stored = await env.FILES.list({ prefix: `users/${alice.userId}/projects/${gen.projectId}/generations/${generation.id}/` });
    // Per carousel: 3 slides and one preview.
    expect(stored.objects).toHaveLength(2 * (3 + 1));
  });

  it("fails a carousel whose image was deleted before rendering, without charging it", async () => {
    const alice = await register();
    const { projectId, slides } = await buildProject(alice, [
      { images: 1, captions: [] },
      { images: 1, captions: [] },
    ]);
    const { generation, sent } = await submitRecorded(alice, { projectId, count: 1 });
    const image = slides.positions[1]!.images[0]!;
    expect((await api(`/api/apps/${APP}/projects/${projectId}/slides/${slides.positions[1]!.id}/images/${image.id}`, { method: "DELETE", token: alice.token })).status).toBe(204);
    await deliver(GENERATION_QUEUE, sent);
    const done = await getGeneration(alice, generation.id);
    expect(done).toMatchObject({ status: "failed", charged: 0, refunded: 5 });
    expect(itemsOf(done)[0]!.error).toMatch(/Slide 2's image was deleted/);
    expect((await api(`/api/generations/${generation.id}/zip`, { token: alice.token })).status).toBe(404);
  });

  it("answers 404, not a broken archive, when a finished carousel's slide has gone from R2", async () => {
    const alice = await register();
    const { projectId } = await buildProject(alice, [
      { images: 1, captions: [] },
      { images: 1, captions: [] },
    ]);
    const { generation, sent } = await submitRecorded(alice, { projectId, count: 1, aspect: "1:1" });
    await deliver(GENERATION_QUEUE, sent);
    const item = itemsOf(await getGeneration(alice, generation.id))[0]!;
    await env.FILES.delete(keyOf(item.outputs[1]!.url));
    for (const res of [await api(pathOf(item.zipUrl!)), await api(`/api/generations/${generation.id}/zip`, { token: alice.token })]) {
      expect(res.status).toBe(404);
      await expectErrorShape(res, "NOT_FOUND");
    }
  });

  it("shows another user a 404 for the generation, its ZIP and its download link; a forged or borrowed link is refused", async () => {
    const alice = await register();
    const mallory = await register();
    const { projectId } = await buildProject(alice, THREE);
    const { generation, sent } = await submitRecorded(alice, { projectId, count: 2, aspect: "1:1" });
    await deliver(GENERATION_QUEUE, sent);
    for (const res of [
      await api(`/api/generations/${generation.id}`, { token: mallory.token }),
      await api(`/api/generations/${generation.id}/zip`, { token: mallory.token }),
      await api(`/api/apps/${APP}/generations/${generation.id}/download`, { token: mallory.token }),
      await submit(mallory, { projectId, count: 1 }, newKey(), APP),
    ]) {
      expect(res.status).toBe(404);
      await expectErrorShape(res, "NOT_FOUND");
    }
    expect((await api(`/api/generations/${generation.id}/zip`)).status).toBe(401);
    const item = itemsOf(await getGeneration(alice, generation.id))[0]!;
    const url = new URL(item.zipUrl!, BASE);
    // The link of carousel-1 does not open carousel-2, nor the whole generation.
    const other = await api(`${url.pathname.replace("carousel-1", "carousel-2")}${url.search}`);
    const whole = await api(`${url.pathname.replace("/carousel-1", "")}${url.search}`);
    const forged = await api(`${url.pathname}?exp=${url.searchParams.get("exp")}&sig=${"A".repeat(43)}`);
    for (const res of [other, whole, forged]) {
      expect(res.status).toBe(403);
      await expectErrorShape(res, "FORBIDDEN");
    }
  });

  it("deleting the project removes its uploads and every slide from R2", async () => {
    const alice = await register();
    const { projectId } = await buildProject(alice, THREE);
    const { generation, sent } = await submitRecorded(alice, { projectId, count: 2, aspect: "1:1" });
    await deliver(GENERATION_QUEUE, sent);
    expect((await getGeneration(alice, generation.id)).status).toBe("completed");
    const prefix = `users/${alice.userId}/projects/${projectId}/`;
    expect((await env.FILES.list({ prefix })).objects.length).toBe(5 * 2 + 2 * 4);
    expect((await api(`/api/projects/${projectId}`, { method: "DELETE", token: alice.token })).status).toBe(204);
    expect((await env.FILES.list({ prefix })).objects).toEqual([]);
    expect((await api(`/api/apps/${APP}/projects/${projectId}/slides`, { token: alice.token })).status).toBe(404);
  });
});
