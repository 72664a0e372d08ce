import { describe, expect, it } from "vitest";
import { BASE, availableCredits, closeTab, createFirstProject, loadedImages, openTab, screenshot, screenshotPhone, signUp, useBrowser } from "./browser";

useBrowser();

/** The file behind the playing <img>, as the browser fetched it: its chunk names and its frame count. */
const animationFacts = (src: string) =>
  fetch(src)
    .then((r) => r.arrayBuffer())
    .then((buffer) => {
      const bytes = new Uint8Array(buffer);
      const text = (o: number) => String.fromCharCode(...bytes.subarray(o, o + 4));
      let frames = 0;
      for (let o = 12; o + 8 <= bytes.length; ) {
        const size = bytes[o + 4]! | (bytes[o + 5]! << 8) | (bytes[o + 6]! << 16) | (bytes[o + 7]! << 24);
        if (text(o) === "ANMF") frames++;
        o += 8 + size + (size & 1);
      }
      return { riff: text(0), webp: text(8), first: text(12), animated: (bytes[20]! & 0x02) !== 0, frames };
    });

describe("looping flow", () => {
  it("makes a loop from a pose output and plays it in the page with its poster", async () => {
    const tab = await openTab();
    const { page } = tab;
    await signUp(page);

    // A pose first (30 credits): the still the loop starts from.
    await page.getByRole("region", { name: "Apps" }).getByRole("link", { name: "Pose Generator" }).click();
    await page.waitForURL(`${BASE}/apps/pose-generator`);
    await createFirstProject(page, "Stills");
    await page.getByTestId("pose-grid").getByRole("checkbox", { name: "Relaxed Stand", exact: true }).check();
    await page.getByRole("button", { name: /^Generate 1 image/ }).click();
    await page.waitForURL(/\/generations\/[\w-]+$/);
    await expect.poll(() => page.getByTestId("status").first().textContent(), { timeout: 30_000 }).toBe("Done");

    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Dashboard" }).click();
    await page.getByRole("region", { name: "Apps" }).getByRole("link", { name: "Looping Flow" }).click();
    await page.waitForURL(`${BASE}/apps/looping-flow`);
    await page.getByRole("heading", { level: 1, name: "Looping Flow" }).waitFor();
    await createFirstProject(page, "Loops");

    expect(await page.getByRole("button", { name: "Make loop · 20 credits" }).isDisabled()).toBe(true);
    await loadedImages(page.getByTestId("loop-sources"));
    await page.getByRole("button", { name: "Use Pose Generator image 1" }).click();
    expect(await page.getByRole("button", { name: "Use Pose Generator image 1" }).getAttribute("aria-pressed")).toBe("true");
    await page.getByRole("radio", { name: "Ripple" }).check();
    await page.getByRole("radio", { name: "2 s" }).check();
    await page.getByRole("radio", { name: "12 fps" }).check();
    await page.getByRole("radio", { name: "512 px" }).check();
    await expect.poll(() => page.getByTestId("cost-total").textContent()).toBe("20 credits");
    await screenshot(page, "looping-flow");
    await screenshotPhone(page, "looping-flow-phone");

    await page.getByRole("button", { name: "Make loop · 20 credits" }).click();
    const loop = page.getByTestId("loop-animation");
    await loop.waitFor({ timeout: 60_000 });
    await loadedImages(page.locator(".loop-result"));
    // The pose is 768×1024: the loop keeps its shape, its longer side 512.
    expect(await loop.evaluate((img) => [(img as HTMLImageElement).naturalWidth, (img as HTMLImageElement).naturalHeight])).toEqual([384, 512]);
    const src = (await loop.getAttribute("src"))!;
    expect(await page.evaluate(animationFacts, src)).toEqual({ riff: "RIFF", webp: "WEBP", first: "VP8X", animated: true, frames: 24 });
    expect(await page.getByTestId("loop-facts").textContent()).toBe("384×512 · 24 frames · 2 s, plays forever");
    expect(await page.getByTestId("loop-poster").evaluate((img) => (img as HTMLImageElement).naturalWidth)).toBe(384);
    expect(await page.getByRole("link", { name: "Download WebP" }).getAttribute("download")).toMatch(/\.webp$/);

    // It plays: the pixels on screen change while nothing else does.
    const first = await loop.screenshot();
    await expect.poll(async () => Buffer.compare(await loop.screenshot(), first) !== 0, { timeout: 5_000 }).toBe(true);
    await screenshot(page, "looping-flow-result", { settle: false });
    // The form stays ready for another loop of the same still.
    expect(await page.getByRole("button", { name: "Make loop · 20 credits" }).isDisabled()).toBe(false);

    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Dashboard" }).click();
    await expect.poll(() => availableCredits(page).textContent()).toBe("50");
    await closeTab(tab);
  }, 150_000);
});
