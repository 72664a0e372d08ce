import { readFileSync } from "node:fs";
import type { Route } from "playwright-core";
import { describe, expect, it } from "vitest";
import { BASE, availableCredits, closeTab, createFirstProject, openTab, screenshot, screenshotPhone, signUp, useBrowser } from "./browser";

useBrowser();

const fixture = (name: string) => readFileSync(new URL(`../apps/video-mixer/fixtures/${name}`, import.meta.url));

describe("video mixer", () => {
  it("uploads two clips with progress (a failed part sent again alone), makes 3 variants and plays one with seeking", async () => {
    const tab = await openTab();
    const { page } = tab;
    await signUp(page);
    await page.getByRole("region", { name: "Apps" }).getByRole("link", { name: "Video Mixer" }).click();
    await page.waitForURL(`${BASE}/apps/video-mixer`);
    await createFirstProject(page, "Spring ads");
    await page.getByText("No clips yet").waitFor();

    // The first part PUT fails in transit; its retry waits until the page has shown the retry.
    const parts: string[] = [];
    let failedOnce = false;
    let releaseRetry: () => void = () => {};
    const retrySeen = new Promise<void>((resolve) => (releaseRetry = resolve));
    await page.route(/\/clips\/[^/]+\/parts\/\d+$/, async (route: Route) => {
      parts.push(route.request().url());
      if (!failedOnce) {
        failedOnce = true;
        return route.abort("failed");
      }
      if (parts.length === 2) await retrySeen;
      return route.continue();
    });

    await page.getByTestId("clip-input").setInputFiles([
      { name: "sunrise.mp4", mimeType: "video/mp4", buffer: fixture("clip-a.mp4") },
      { name: "market.mp4", mimeType: "video/mp4", buffer: fixture("clip-b.mp4") },
    ]);
    const progress = page.getByTestId("upload-progress");
    await expect.poll(() => progress.count()).toBeGreaterThan(0);
    await page.getByTestId("clip-upload").getByText("1 part sent again").waitFor();
    const stalled = page.getByTestId("clip-upload").filter({ hasText: "1 part sent again" }).getByTestId("upload-progress");
    expect(await stalled.getAttribute("aria-valuenow")).toBe("0");
    releaseRetry();

    const cards = page.getByTestId("clip-card");
    await expect.poll(() => page.locator('[data-testid="clip-card"][data-status="ready"]').count(), { timeout: 20_000 }).toBe(2);
    expect(parts).toHaveLength(3);
    expect(new Set(parts).size, "only the failed part was sent twice").toBe(2);
    await expect.poll(() => progress.count()).toBe(0);
    const meta = await page.getByTestId("clip-meta").allTextContents();
    expect(meta).toEqual(expect.arrayContaining(["4 s · 320×180 · 30 fps · H.264 High · AAC", "3 s · 320×180 · 30 fps · H.264 High · AAC"]));
    // Posters: each card's video has its first frame decoded by the browser.
    await expect.poll(() => cards.locator("video").evaluateAll((vs) => vs.every((v) => (v as HTMLVideoElement).readyState >= 2 && (v as HTMLVideoElement).videoWidth === 320))).toBe(true);

    await cards.filter({ hasText: "sunrise.mp4" }).getByRole("button", { name: "Pick" }).click();
    await cards.filter({ hasText: "market.mp4" }).getByRole("button", { name: "Pick" }).click();
    await page.getByLabel("Segment length (s)").fill("1");
    await page.getByLabel("Variant length (s)").fill("3");
    await expect.poll(() => page.getByTestId("cost-total").textContent()).toBe("45 credits");
    await page.getByTestId("mix-submit").click();
    await expect.poll(() => page.getByTestId("variants-done").textContent(), { timeout: 30_000 }).toBe("3 of 3 done");
    // The form keeps its settings and takes another mix.
    expect(await page.getByLabel("Segment length (s)").inputValue()).toBe("1");
    await expect.poll(() => page.getByTestId("mix-submit").textContent()).toBe("Make 3 variants · 45 credits");
    expect(await page.getByTestId("mix-submit").isDisabled()).toBe(false);
    const videos = page.getByTestId("variant-video");
    await expect.poll(() => videos.count()).toBe(3);

    const played = await videos.first().evaluate(async (element) => {
      const video = element as HTMLVideoElement;
      video.muted = true;
      if (video.readyState < 1) await new Promise((r) => video.addEventListener("loadedmetadata", r, { once: true }));
      const duration = video.duration;
      await video.play();
      const start = performance.now();
      while (video.currentTime < 0.5 && performance.now() - start < 10_000) await new Promise((r) => setTimeout(r, 50));
      const advanced = video.currentTime;
      video.pause();
      video.currentTime = 2;
      await new Promise((r) => video.addEventListener("seeked", r, { once: true }));
      return { duration, advanced, seekedTo: video.currentTime, error: video.error?.message ?? null };
    });
    expect(played.error).toBeNull();
    expect(played.advanced).toBeGreaterThanOrEqual(0.5);
    expect(Math.abs(played.duration - 3)).toBeLessThan(0.05);
    expect(played.seekedTo).toBeCloseTo(2, 1);
    expect(await page.getByTestId("variant").first().getByRole("link", { name: "Download MP4" }).getAttribute("download")).toBe("variant-1.mp4");
    await screenshot(page, "video-mixer");
    await screenshotPhone(page, "video-mixer-phone");

    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Dashboard" }).click();
    await expect.poll(() => availableCredits(page).textContent()).toBe("55");
    await closeTab(tab);
  }, 120_000);
});
