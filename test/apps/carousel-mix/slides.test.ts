/**
 * Building a carousel project: positions (2–10), captions (0–5 each) and candidate images
 * (1–8 each, the avatar upload rules), all at their maxima, and all private to their owner.
 */
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { api, errorOf, expectErrorShape, register } from "../../support/client";
import { createProject } from "../../support/generations";
import { pngHeaderOnly } from "../../support/images";
import { keyOf } from "../../support/avatars";
import { APP, addImage, buildProject, carouselApi, putSlides, setSlides, uploadImage, type SlidesView } from "../../support/carousel";

const captions = (n: number, prefix = "Caption") => Array.from({ length: n }, (_, i) => ({ text: `${prefix} ${i + 1}` }));

describe("carousel slide positions", () => {
  it("holds 10 positions of 5 captions each and 8 images in a position, in order", async () => {
    const alice = await register();
    const projectId = await createProject(alice, APP);
    const slides = await setSlides(
      alice,
      projectId,
      Array.from({ length: 10 }, (_, i) => ({ captions: captions(5, `P${i + 1}`) })),
    );
    expect(slides.positions.map((p) => p.index)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(slides.positions[3]!.captions.map((c) => c.text)).toEqual(["P4 1", "P4 2", "P4 3", "P4 4", "P4 5"]);
    expect(slides.combinations).toBe(0);

    const first = slides.positions[0]!.id;
    for (let i = 0; i < 8; i++) await addImage(alice, projectId, first);
    const ninth = await uploadImage(alice, projectId, first);
    expect(ninth.status).toBe(422);
    expect((await errorOf(ninth)).details).toMatchObject({ maximum: 8 });

    const read = await (await carouselApi(`/projects/${projectId}/slides`, { token: alice.token })).json<SlidesView>();
    expect(read.positions[0]!.images).toHaveLength(8);
    for (const image of read.positions[0]!.images) {
      const thumb = await api(image.thumbnailUrl);
      expect(thumb.status).toBe(200);
    }
    // Positions without images make no carousel yet.
    expect(read.combinations).toBe(0);
  });

  it("counts the combinations once every position has an image", async () => {
    const alice = await register();
    const { slides } = await buildProject(alice, [
      { images: 2, captions: ["a", "b", "c"] },
      { images: 1, captions: [] },
      { images: 2, captions: ["d", "e"] },
    ]);
    expect(slides.combinations).toBe(2 * 3 * 1 * 2 * 2);
  });

  it("refuses 1 or 11 positions, a sixth caption, empty or 201-character captions, unknown fields, and changes nothing", async () => {
    const alice = await register();
    const projectId = await createProject(alice, APP);
    const before = await setSlides(alice, projectId, [{ captions: [{ text: "keep" }] }, {}]);
    for (const positions of [
      [{}],
      Array.from({ length: 11 }, () => ({})),
      [{ captions: captions(6) }, {}],
      [{ captions: [{ text: "   " }] }, {}],
      [{ captions: [{ text: "x".repeat(201) }] }, {}],
      [{ captions: [{ text: "ok", style: { position: "left" } }] }, {}],
      [{ cost: 0 }, {}],
      [{ id: before.positions[0]!.id }, { id: before.positions[0]!.id }],
    ]) {
      const res = await putSlides(alice, projectId, positions as never);
      expect(res.status, JSON.stringify(positions)).toBe(400);
      await expectErrorShape(res, "VALIDATION_ERROR");
    }
    const max = await putSlides(alice, projectId, [{ captions: [{ text: "x".repeat(200) }] }, {}]);
    expect(max.status).toBe(200);
    const after = await (await carouselApi(`/projects/${projectId}/slides`, { token: alice.token })).json<SlidesView>();
    expect(after.positions).toHaveLength(2);
  });

  it("keeps listed positions with their images, reorders them, and removes unlisted ones with their files", async () => {
    const alice = await register();
    const { projectId, slides } = await buildProject(alice, [
      { images: 1, captions: ["one"] },
      { images: 2, captions: ["two"] },
      { images: 1, captions: ["three"] },
    ]);
    const [a, b, c] = slides.positions;
    const goneKeys = b!.images.map((i) => keyOf(i.thumbnailUrl));
    for (const key of goneKeys) expect(await env.FILES.head(key)).not.toBeNull();

    const next = await setSlides(alice, projectId, [{ id: c!.id, captions: [{ text: "three!" }] }, { id: a!.id, captions: a!.captions }, {}]);
    expect(next.positions.map((p) => p.id.length > 0 && p.id)).toEqual([c!.id, a!.id, expect.any(String)]);
    expect(next.positions[0]!.captions).toEqual([{ text: "three!" }]);
    expect(next.positions[0]!.images.map((i) => i.id)).toEqual(c!.images.map((i) => i.id));
    expect(next.positions[2]!.images).toEqual([]);
    for (const key of goneKeys) expect(await env.FILES.head(key)).toBeNull();

    // An id that is not one of this project's positions changes nothing.
    const res = await putSlides(alice, projectId, [{ id: "not-a-position" }, { id: a!.id }]);
    expect(res.status).toBe(404);
    expect((await (await carouselApi(`/projects/${projectId}/slides`, { token: alice.token })).json<SlidesView>()).positions).toHaveLength(3);
  });

  it("uses the avatar upload rules: magic bytes, size and sides", async () => {
    const alice = await register();
    const { projectId, slides } = await buildProject(alice, [
      { images: 0, captions: [] },
      { images: 0, captions: [] },
    ]);
    const position = slides.positions[0]!.id;
    expect((await uploadImage(alice, projectId, position, new TextEncoder().encode("GIF89a not really"))).status).toBe(415);
    expect((await uploadImage(alice, projectId, position, pngHeaderOnly(100, 100))).status).toBe(422);
    expect((await uploadImage(alice, projectId, position, pngHeaderOnly(5000, 300))).status).toBe(422);
    const form = new FormData();
    form.set("file", new File([new Uint8Array(10 * 1024 * 1024 + 1)], "big.png", { type: "image/png" }));
    expect((await carouselApi(`/projects/${projectId}/slides/${position}/images`, { method: "POST", token: alice.token, body: form })).status).toBe(413);
    const read = await (await carouselApi(`/projects/${projectId}/slides`, { token: alice.token })).json<SlidesView>();
    expect(read.positions[0]!.images).toEqual([]);
  });

  it("deletes an image with its files", async () => {
    const alice = await register();
    const { projectId, slides } = await buildProject(alice, [
      { images: 2, captions: [] },
      { images: 1, captions: [] },
    ]);
    const [keep, drop] = slides.positions[0]!.images;
    const res = await carouselApi(`/projects/${projectId}/slides/${slides.positions[0]!.id}/images/${drop!.id}`, { method: "DELETE", token: alice.token });
    expect(res.status).toBe(204);
    expect(await env.FILES.head(keyOf(drop!.thumbnailUrl))).toBeNull();
    const read = await (await carouselApi(`/projects/${projectId}/slides`, { token: alice.token })).json<SlidesView>();
    expect(read.positions[0]!.images.map((i) => i.id)).toEqual([keep!.id]);
    const again = await carouselApi(`/projects/${projectId}/slides/${slides.positions[0]!.id}/images/${drop!.id}`, { method: "DELETE", token: alice.token });
    expect(again.status).toBe(404);
  });

  it("is another user's 404 everywhere: slides, uploads, deletes, and a project of another app", async () => {
    const alice = await register();
    const mallory = await register();
    const { projectId, slides } = await buildProject(alice, [
      { images: 1, captions: ["a"] },
      { images: 1, captions: [] },
    ]);
    const position = slides.positions[0]!;
    const image = position.images[0]!;
    const attempts = [
      carouselApi(`/projects/${projectId}/slides`, { token: mallory.token }),
      putSlides(mallory, projectId, [{}, {}]),
      uploadImage(mallory, projectId, position.id),
      carouselApi(`/projects/${projectId}/slides/${position.id}/images/${image.id}`, { method: "DELETE", token: mallory.token }),
    ];
    // Mallory's own project does not open Alice's positions either.
    const own = await createProject(mallory, APP);
    attempts.push(uploadImage(mallory, own, position.id), carouselApi(`/projects/${own}/slides/${position.id}/images/${image.id}`, { method: "DELETE", token: mallory.token }));
    for (const res of await Promise.all(attempts)) {
      expect(res.status).toBe(404);
      await expectErrorShape(res, "NOT_FOUND");
    }
    const avatarProject = await createProject(alice, "avatar-creator");
    expect((await carouselApi(`/projects/${avatarProject}/slides`, { token: alice.token })).status).toBe(404);
    const still = await (await carouselApi(`/projects/${projectId}/slides`, { token: alice.token })).json<SlidesView>();
    expect(still.positions[0]!.images.map((i) => i.id)).toEqual([image.id]);
    expect(await env.FILES.head(keyOf(image.thumbnailUrl))).not.toBeNull();
  });

  it("publishes the limits it enforces in GET /api/apps, open for generations", async () => {
    const alice = await register();
    const { apps } = await (await api("/api/apps", { token: alice.token })).json<{
      apps: Array<{ id: string; enabled: boolean; credits: Record<string, number>; limits: { maxItems: number; ranges: Record<string, unknown>; options: Record<string, string[]> } }>;
    }>();
    const carousel = apps.find((a) => a.id === APP)!;
    expect(carousel).toMatchObject({ enabled: true, credits: { carousel: 5 } });
    expect(carousel.limits).toEqual({
      maxItems: 50,
      ranges: { positions: { min: 2, max: 10 }, images: { min: 1, max: 8 }, captions: { min: 0, max: 5 }, caption: { min: 1, max: 200 }, count: { min: 1, max: 50 }, size: { min: 24, max: 160 } },
      options: { aspects: ["1:1", "4:5", "9:16"], fonts: ["noto-sans", "noto-serif"], positions: ["top", "center", "bottom"] },
    });
  });

  it("lists the bundled fonts with their licences", async () => {
    const alice = await register();
    const res = await carouselApi("/fonts", { token: alice.token });
    expect(await res.json()).toEqual({
      fonts: [
        { id: "noto-sans", name: "Noto Sans Bold", license: "OFL-1.1" },
        { id: "noto-serif", name: "Noto Serif Bold", license: "OFL-1.1" },
      ],
    });
    expect((await carouselApi("/fonts")).status).toBe(401);
  });
});
