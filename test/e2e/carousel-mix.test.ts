import { readFile } from "node:fs/promises";
import sharp from "sharp";
import { describe, expect, it } from "vitest";
import { readZip } from "../support/unzip";
import { BASE, availableCredits, closeTab, createFirstProject, loadedImages, openTab, screenshot, screenshotPhone, signUp, useBrowser } from "./browser";

useBrowser();

const photo = (r: number, g: number, b: number) =>
  sharp({ create: { width: 640, height: 480, channels: 3, background: { r, g, b } } })
    .png()
    .toBuffer();

/** The bytes of what a click downloads, as the browser saved them. */
async function downloaded(page: import("playwright-core").Page, click: () => Promise<void>): Promise<{ name: string; bytes: Uint8Array }> {
  const [download] = await Promise.all([page.waitForEvent("download"), click()]);
  return { name: download.suggestedFilename(), bytes: new Uint8Array(await readFile((await download.path())!)) };
}

describe("carousel mix", () => {
  it("builds a 3-slide project, makes 4 carousels that appear live, opens one as a strip and downloads the ZIPs", async () => {
    const tab = await openTab();
    const { page } = tab;
    await signUp(page);
    await page.getByRole("region", { name: "Apps" }).getByRole("link", { name: "Carousel Mix" }).click();
    await page.waitForURL(`${BASE}/apps/carousel-mix`);
    await createFirstProject(page, "Batik sale");
    await expect.poll(() => page.getByTestId("position").count()).toBe(3);

    // Slide 1: two images and two captions; slide 2: one image, no caption; slide 3: one image, one caption.
    await page.getByLabel("Add images to Slide 1").setInputFiles([
      { name: "red.png", mimeType: "image/png", buffer: await photo(200, 60, 60) },
      { name: "green.png", mimeType: "image/png", buffer: await photo(60, 160, 90) },
    ]);
    await expect.poll(() => page.getByRole("list", { name: "Slide 1 images" }).locator("img").count()).toBe(2);
    await page.getByLabel("Add images to Slide 2").setInputFiles({ name: "blue.png", mimeType: "image/png", buffer: await photo(50, 80, 200) });
    await page.getByLabel("Add images to Slide 3").setInputFiles({ name: "gold.png", mimeType: "image/png", buffer: await photo(220, 180, 40) });
    await expect.poll(() => page.getByRole("list", { name: "Slide 3 images" }).locator("img").count()).toBe(1);
    await page.getByRole("button", { name: "Add caption to Slide 1" }).click();
    await page.getByLabel("Slide 1 caption 1").fill("Diskon 50% hari ini");
    await page.getByRole("button", { name: "Add caption to Slide 1" }).click();
    await page.getByLabel("Slide 1 caption 2").fill("Gratis ongkir se-Indonesia");
    await page.getByRole("button", { name: "Add caption to Slide 3" }).click();
    await page.getByLabel("Slide 3 caption 1").fill("Pesan sekarang, stok terbatas!");
    await page.getByRole("button", { name: "Save slides" }).click();
    await page.getByRole("button", { name: "Saved" }).waitFor();
    await expect.poll(() => page.getByTestId("combinations").textContent()).toContain("4 distinct combinations");
    expect(await loadedImages(page.getByRole("list", { name: "Slide 1 images" }))).toBe(2);

    await page.getByLabel("How many carousels").fill("4");
    await page.getByRole("group", { name: "Caption position" }).getByText("Top").click();
    await expect.poll(() => page.getByTestId("cost-total").textContent()).toBe("20 credits");
    await screenshot(page, "carousel-mix");
    await screenshotPhone(page, "carousel-mix-phone");

    await page.getByRole("button", { name: /^Make 4 carousels/ }).click();
    await page.waitForURL(/generation=/);
    const tiles = page.getByTestId("carousel-tile");
    await expect.poll(() => tiles.count()).toBe(4);
    // The page is never reloaded: tiles turn done as the socket reports each carousel.
    await expect.poll(() => page.locator('[data-testid="carousel-tile"][data-status="completed"]').count(), { timeout: 60_000 }).toBe(4);
    await expect.poll(() => page.getByTestId("generation-counts").textContent(), { timeout: 30_000 }).toContain("charged 20 credits");
    expect(await loadedImages(page.getByTestId("carousels"))).toBe(4);

    await page.getByRole("button", { name: "Carousel 2: open its slides" }).click();
    const strip = page.getByTestId("strip");
    expect(await loadedImages(strip)).toBe(3);
    const sizes = await strip.locator("img").evaluateAll((list) => list.map((img) => `${(img as HTMLImageElement).naturalWidth}×${(img as HTMLImageElement).naturalHeight}`));
    expect(sizes).toEqual(["1080×1350", "1080×1350", "1080×1350"]);
    await page.getByRole("button", { name: "Next slide" }).click();
    await screenshot(page, "carousel-mix-strip");

    const one = await downloaded(page, () => page.getByTestId("carousel-zip").click());
    expect(one.name).toMatch(/-carousel-2\.zip$/);
    expect(readZip(one.bytes).map((e) => e.name)).toEqual(["slide-01.jpg", "slide-02.jpg", "slide-03.jpg"]);

    const all = await downloaded(page, () => page.getByRole("button", { name: "Download all (ZIP)" }).click());
    const entries = readZip(all.bytes);
    expect(entries.map((e) => e.name)).toEqual([1, 2, 3, 4].flatMap((c) => [1, 2, 3].map((s) => `carousel-${c}/slide-0${s}.jpg`)));
    for (const entry of entries) expect(await sharp(entry.bytes).metadata()).toMatchObject({ format: "jpeg", width: 1080, height: 1350 });
    // The strip's carousel is the same bytes in both archives.
    expect(entries.filter((e) => e.name.startsWith("carousel-2/")).map((e) => e.crc)).toEqual(readZip(one.bytes).map((e) => e.crc));

    // The generic generation page hands a carousel batch to this page.
    const studio = page.url();
    await page.goto(`/generations/${new URL(studio).searchParams.get("generation")}`);
    await page.waitForURL(studio);
    await expect.poll(() => page.locator('[data-testid="carousel-tile"][data-status="completed"]').count()).toBe(4);

    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Dashboard" }).click();
    await expect.poll(() => availableCredits(page).textContent()).toBe("80");
    await closeTab(tab);
  }, 120_000);
});
