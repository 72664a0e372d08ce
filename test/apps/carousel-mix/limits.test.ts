/** The largest carousel job runs to the end: 10 positions of 8 images and 5 captions, 50 carousels, each paid. */
import { describe, expect, it } from "vitest";
import { CAROUSEL_COST, MAX_CAPTIONS_PER_POSITION, MAX_CAROUSELS, MAX_IMAGES_PER_POSITION, MAX_POSITIONS } from "../../../worker/apps/carousel-mix/schema";
import { balanceOf, newKey, submit, waitForFinal } from "../../support/generations";
import { APP, buildProject, flatPng, funded, type CarouselItem } from "../../support/carousel";

describe("Carousel Mix at its maxima", () => {
  it(`${MAX_CAROUSELS} carousels of ${MAX_POSITIONS} slides from ${MAX_IMAGES_PER_POSITION} images and ${MAX_CAPTIONS_PER_POSITION} captions per position`, async () => {
    const user = await funded(MAX_CAROUSELS * CAROUSEL_COST);
    let shade = 0;
    const spec = Array.from({ length: MAX_POSITIONS }, (_, p) => ({
      images: MAX_IMAGES_PER_POSITION,
      captions: Array.from({ length: MAX_CAPTIONS_PER_POSITION }, (_, c) => `Slide ${p + 1}, caption ${c + 1}`),
    }));
    const { projectId, slides } = await buildProject(user, spec, () => {
      shade += 3;
      return flatPng(256, 256, [shade & 255, 100, 160]);
    });
    expect(slides.positions.map((p) => [p.images.length, p.captions.length])).toEqual(Array.from({ length: MAX_POSITIONS }, () => [MAX_IMAGES_PER_POSITION, MAX_CAPTIONS_PER_POSITION]));

    const res = await submit(user, { projectId, count: MAX_CAROUSELS, aspect: "1:1" }, newKey(), APP);
    expect(res.status, await res.clone().text()).toBe(202);
    const done = await waitForFinal(user, (await res.json<{ generation: { id: string } }>()).generation.id, 400_000);
    expect(done).toMatchObject({ status: "completed", total: MAX_CAROUSELS, completed: MAX_CAROUSELS, charged: MAX_CAROUSELS * CAROUSEL_COST, refunded: 0 });
    const items = done.items as unknown as CarouselItem[];
    expect(items.every((i) => i.outputs.length === MAX_POSITIONS && i.outputs.every((o) => o.width === 1080 && o.height === 1080))).toBe(true);
    expect(await balanceOf(user)).toMatchObject({ balance: 100, held: 0 });
  }, 600_000);
});
