import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { BASE, availableCredits, closeTab, createFirstProject, loadedImages, openTab, pngImage, screenshot, screenshotPhone, signUp, useBrowser } from "./browser";

useBrowser();

/** The text the e2e server's offline provider fails on (scripts/e2e.mjs). */
const FAIL_TRIGGER = process.env.E2E_FAIL_TRIGGER ?? "";
if (!FAIL_TRIGGER) throw new Error("E2E_FAIL_TRIGGER is not set: run the browser tests with `node scripts/e2e.mjs`");

const GENERATIONS_POST = /\/api\/apps\/pose-generator\/generations$/;

/** Picks a pose by searching for it first, as a user would in a long library. */
async function pickPose(page: Page, search: string, name: string): Promise<void> {
  await page.getByLabel("Search poses").fill(search);
  const box = page.getByTestId("pose-grid").getByRole("checkbox", { name, exact: true });
  await box.check();
  expect(await box.isChecked()).toBe(true);
}

async function openPoseGenerator(page: Page): Promise<void> {
  await page.getByRole("region", { name: "Apps" }).getByRole("link", { name: "Pose Generator" }).click();
  await page.waitForURL(`${BASE}/apps/pose-generator`);
  await page.getByRole("heading", { level: 1, name: "Pose Generator" }).waitFor();
}

const submitButton = (page: Page) => page.getByRole("button", { name: /^Generate \d+ images?/ });

describe("pose generator", () => {
  it("generates two gallery poses on a solid colour, live in the view, and charges exactly 80", async () => {
    const tab = await openTab();
    const { page } = tab;
    // Every realtime frame, from the socket opened right after sign-up.
    const frames: string[] = [];
    page.on("websocket", (ws) => ws.on("framereceived", (f) => typeof f.payload === "string" && frames.push(f.payload)));
    await signUp(page);
    await expect.poll(() => availableCredits(page).textContent()).toBe("100");
    await screenshotPhone(page, "dashboard-phone");

    await openPoseGenerator(page);
    await createFirstProject(page, "Summer shoot");
    expect(new URL(page.url()).searchParams.get("project")).toBeTruthy();

    const grid = page.getByTestId("pose-grid");
    await grid.getByRole("checkbox", { name: "Relaxed Stand", exact: true }).check();
    await grid.getByRole("checkbox", { name: "Hands on Hips", exact: true }).check();
    await grid.getByRole("checkbox", { name: "Arms Crossed", exact: true }).check();
    await page.getByRole("radio", { name: "Colour" }).check();
    await page.getByLabel("Background colour", { exact: true }).fill("#1e3a8a");

    // Three poses with the background changer (3 × 40 = 120) are more than the 100 available.
    await expect.poll(() => page.getByTestId("cost-total").textContent()).toBe("120 credits");
    expect(await submitButton(page).isDisabled()).toBe(true);
    expect(await page.getByTestId("cost-preview").getByRole("link", { name: "Get credits" }).getAttribute("href")).toBe("/credits");

    await page.getByRole("button", { name: "Remove Arms Crossed" }).click();
    await expect.poll(() => page.getByTestId("cost-total").textContent()).toBe("80 credits");
    expect(await page.getByTestId("selected-count").textContent()).toBe("2 poses picked");
    expect(await page.getByTestId("cost-preview").getByRole("link", { name: "Get credits" }).count()).toBe(0);
    await screenshot(page, "pose-generator");
    await screenshotPhone(page, "pose-generator-phone");

    const posts: string[] = [];
    let reads = 0;
    page.on("request", (r) => {
      if (r.method() === "POST" && GENERATIONS_POST.test(r.url())) posts.push(r.headers()["idempotency-key"] ?? "");
      if (r.method() === "GET" && /\/api\/generations\/[\w-]+$/.test(r.url())) reads++;
    });
    // Marks this document: a reload anywhere below would lose it.
    await page.evaluate(() => ((window as unknown as { sameDocument: boolean }).sameDocument = true));
    await submitButton(page).dblclick();
    await page.waitForURL(/\/generations\/[\w-]+$/);
    const id = new URL(page.url()).pathname.split("/").pop()!;
    expect(posts, "a double click sends one request").toHaveLength(1);
    expect(posts[0]).toMatch(/^[\x21-\x7e]{8,128}$/);

    const progress = page.getByTestId("generation-progress");
    await expect.poll(() => progress.getAttribute("aria-valuenow"), { timeout: 30_000 }).toBe("2");
    await expect.poll(() => page.getByTestId("charged").textContent()).toBe("80");
    expect(await page.getByTestId("refunded").textContent()).toBe("0");
    expect(await page.getByTestId("status").first().textContent()).toBe("Done");
    const tiles = page.getByTestId("tile");
    expect(await tiles.count()).toBe(2);
    expect(await loadedImages(page.locator(".tiles"))).toBe(2);
    expect(await page.evaluate(() => (window as unknown as { sameDocument?: boolean }).sameDocument)).toBe(true);
    // The tiles filled from the socket: progress frames for this generation, then the finish.
    const events = frames.map((f) => JSON.parse(f) as { type: string; generationId?: string; item?: { status: string; thumbnailUrl: string | null } }).filter((e) => e.generationId === id);
    const completions = events.filter((e) => e.type === "generation.progress" && e.item?.status === "completed");
    expect(completions).toHaveLength(2);
    expect(completions.every((e) => e.item?.thumbnailUrl?.startsWith("/api/files/"))).toBe(true);
    expect(events.filter((e) => e.type === "generation.finished")).toHaveLength(1);
    // No polling: the first read, plus at most one resync after the finish (and a reconnect).
    expect(reads).toBeLessThanOrEqual(3);
    await screenshot(page, "generation");
    await screenshotPhone(page, "generation-phone");

    // Full size and a download link per export format (signed file URLs).
    await page.getByRole("button", { name: "Image 1: open full size and downloads" }).click();
    const viewer = page.getByRole("dialog", { name: "Image 1" });
    await viewer.waitFor();
    expect(await loadedImages(viewer)).toBe(1);
    const original = viewer.getByRole("link", { name: /Original/ });
    expect(await original.getAttribute("href")).toMatch(/^\/api\/files\/.+\?exp=\d+&sig=/);
    expect(await original.getAttribute("download")).toMatch(/-original\.(png|jpg)$/);
    await screenshot(page, "generation-viewer");
    await page.keyboard.press("Escape");
    await viewer.waitFor({ state: "hidden" });

    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Dashboard" }).click();
    await expect.poll(() => availableCredits(page).textContent()).toBe("20");
    const recent = page.getByRole("region", { name: "Recent generations" }).getByRole("link", { name: "Pose Generator" });
    expect(await recent.getAttribute("href")).toBe(`/generations/${id}`);
    await screenshot(page, "dashboard-with-generation");

    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Credits" }).click();
    const first = page.locator("table.ledger tbody tr").first();
    await expect.poll(() => first.locator(".badge--kind").textContent()).toBe("Spent");
    expect(await first.locator(".ledger__amount").textContent()).toMatch(/^[-−]80$/);
    await screenshot(page, "credits-after-generation");

    // Someone else, with the link: a 404 from the API, a not-found page, no images.
    const stranger = await openTab();
    await signUp(stranger.page, "Eve Stranger");
    const read = stranger.page.waitForResponse((r) => r.url().endsWith(`/api/generations/${id}`));
    await stranger.page.goto(`/generations/${id}`);
    expect((await read).status()).toBe(404);
    await stranger.page.getByRole("heading", { level: 1, name: "Generation not found" }).waitFor();
    expect(await stranger.page.locator("main img").count()).toBe(0);
    await screenshot(stranger.page, "generation-not-found");
    await screenshotPhone(stranger.page, "generation-not-found-phone");
    await closeTab(stranger);
    await closeTab(tab);
  }, 120_000);

  it("ends partial when one pose fails: charges the finished one only and shows the refund", async () => {
    const tab = await openTab();
    const { page } = tab;
    await signUp(page);
    await page.goto("/apps/pose-generator");
    await createFirstProject(page, "Failure drill");

    // The trigger names exactly one library pose; that one, plus an ordinary one.
    await page.getByLabel("Search poses").fill(FAIL_TRIGGER);
    await expect.poll(() => page.getByTestId("pose-grid").getByRole("checkbox").count()).toBe(1);
    await pickPose(page, FAIL_TRIGGER, "Jazz Hands");
    await pickPose(page, "relaxed", "Relaxed Stand");
    expect(await page.getByTestId("selected-count").textContent()).toBe("2 poses picked");
    await expect.poll(() => page.getByTestId("cost-total").textContent()).toBe("60 credits");

    await submitButton(page).click();
    await page.waitForURL(/\/generations\/[\w-]+$/);
    await expect.poll(() => page.getByTestId("status").first().textContent(), { timeout: 30_000 }).toBe("Partly done");
    await expect.poll(() => page.getByTestId("charged").textContent()).toBe("30");
    expect(await page.getByTestId("refunded").textContent()).toBe("30");
    expect(await page.getByTestId("cost").textContent()).toBe("60");
    expect(await page.getByTestId("generation-outcome").textContent()).toContain("Charged 30 of 60 credits; 30 went back");
    expect(await page.locator('[data-testid="tile"][data-status="failed"]').count()).toBe(1);
    expect(await loadedImages(page.locator('[data-testid="tile"][data-status="completed"]'))).toBe(1);
    expect(await page.getByRole("button", { name: /Cancel queued/ }).count()).toBe(0);
    await screenshot(page, "generation-partial");

    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Dashboard" }).click();
    await expect.poll(() => availableCredits(page).textContent()).toBe("70");
    await closeTab(tab);
  }, 90_000);

  it("checks a description as it is typed and shows the server's refusal in place", async () => {
    const tab = await openTab();
    const { page } = tab;
    await signUp(page);
    await page.goto("/apps/pose-generator");
    await createFirstProject(page, "Words");
    await page.getByRole("radio", { name: "A description" }).check();

    const prompt = page.getByLabel("Describe the pose");
    const error = page.getByTestId("prompt-error");
    await prompt.fill("ab");
    await expect.poll(() => error.textContent()).toContain("at least 3 characters");
    expect(await submitButton(page).isDisabled()).toBe(true);
    await prompt.fill("<b>standing</b> tall");
    await expect.poll(() => error.textContent()).toContain("may not contain HTML");
    await prompt.fill("a quiet beach with palm trees at dusk");
    await expect.poll(() => error.count()).toBe(0);
    await page.getByLabel("Variations").fill("3");
    await page.getByLabel("Variations").blur();
    await expect.poll(() => page.getByTestId("cost-total").textContent()).toBe("90 credits");

    const refused = page.waitForResponse((r) => GENERATIONS_POST.test(r.url()));
    await submitButton(page).click();
    expect((await refused).status()).toBe(422);
    await expect.poll(() => error.textContent()).toContain("Describe a pose or body position");
    expect(new URL(page.url()).pathname).toBe("/apps/pose-generator");
    await screenshotPhone(page, "pose-generator-text-phone");
    // Editing the text clears the server's message.
    await prompt.fill("standing with arms crossed");
    await expect.poll(() => error.count()).toBe(0);
    await closeTab(tab);
  });

  it("allows exactly what GET /api/apps publishes, not a copy of it", async () => {
    const tab = await openTab();
    const { page } = tab;
    // The same server, publishing tighter limits and a smaller upload rule: the form must follow them.
    await page.route("**/api/apps", async (route) => {
      const res = await route.fetch();
      const body = (await res.json()) as { apps: Array<{ id: string; limits: { ranges: Record<string, { min: number; max: number }> } }>; uploads: { maxSide: number } };
      const pose = body.apps.find((a) => a.id === "pose-generator")!;
      pose.limits.ranges.variations = { min: 1, max: 2 };
      pose.limits.ranges.prompt = { min: 3, max: 40 };
      body.uploads.maxSide = 600;
      return route.fulfill({ response: res, json: body });
    });
    await signUp(page);
    await page.goto("/apps/pose-generator");
    await createFirstProject(page, "Published limits");
    await page.getByRole("radio", { name: "A description" }).check();

    const variations = page.getByLabel("Variations");
    expect(await variations.getAttribute("max")).toBe("2");
    await variations.fill("2");
    await variations.blur();
    await expect.poll(() => page.getByTestId("cost-total").textContent()).toBe("60 credits");
    await variations.fill("3");
    await variations.blur();
    expect(await variations.inputValue(), "one past the published maximum is brought back to it").toBe("2");

    const prompt = page.getByLabel("Describe the pose");
    await prompt.fill("standing tall with both arms crossed, xx"); // 40 characters: the maximum
    await expect.poll(() => page.getByTestId("prompt-error").count()).toBe(0);
    await page.getByText("40/40").waitFor();
    await prompt.fill("standing tall with both arms crossed, xxy");
    await expect.poll(() => page.getByTestId("prompt-error").textContent()).toContain("Keep the description to 40 characters; it has 41");
    expect(await submitButton(page).isDisabled()).toBe(true);

    await page.getByRole("radio", { name: "Upload" }).check();
    await page.getByText("PNG, JPEG or WebP · up to 10 MB · 256–600 px each side").waitFor();
    await page.locator('input[type="file"]').setInputFiles({ name: "wide.png", mimeType: "image/png", buffer: await pngImage(640, 480) });
    await page.getByRole("alert").getByText("Each side must be 256–600 px; this image is 640×480.").waitFor();
    await closeTab(tab);
  });

  it("checks a background image in the browser before uploading it", async () => {
    const tab = await openTab();
    const { page } = tab;
    await signUp(page);
    await page.goto("/apps/pose-generator");
    await createFirstProject(page, "Backdrops");
    await page.getByRole("radio", { name: "Upload" }).check();

    let uploads = 0;
    page.on("request", (r) => {
      if (r.method() === "POST" && r.url().endsWith("/backgrounds")) uploads++;
    });
    const input = page.locator('input[type="file"]');
    await input.setInputFiles({ name: "small.png", mimeType: "image/png", buffer: await pngImage(100, 100) });
    await page.getByRole("alert").getByText("Each side must be 256–4096 px; this image is 100×100.").waitFor();
    await input.setInputFiles({ name: "notes.png", mimeType: "image/png", buffer: Buffer.from("just some text, not an image") });
    await page.getByRole("alert").getByText("This is not a PNG, JPEG or WebP image.").waitFor();
    expect(uploads, "refused files never leave the browser").toBe(0);

    await input.setInputFiles({ name: "studio.png", mimeType: "image/png", buffer: await pngImage(640, 480) });
    await page.getByText("Uploaded · 640×480 px").waitFor();
    expect(uploads).toBe(1);
    await loadedImages(page.locator(".drop__preview"));
    await page.getByTestId("pose-grid").getByRole("checkbox", { name: "T-Pose", exact: true }).check();
    await expect.poll(() => page.getByTestId("cost-total").textContent()).toBe("40 credits");
    expect(await submitButton(page).isEnabled()).toBe(true);
    await closeTab(tab);
  });

  it("keeps one Idempotency-Key for a retried attempt and takes a new one for a new attempt", async () => {
    const tab = await openTab();
    const { page } = tab;
    await signUp(page);
    await page.goto("/apps/pose-generator");
    await createFirstProject(page, "Retries");
    await page.getByTestId("pose-grid").getByRole("checkbox", { name: "Friendly Wave", exact: true }).check();

    const keys: string[] = [];
    const answers = [
      { status: 503, body: { error: { code: "SERVICE_UNAVAILABLE", message: "The queue is busy; try again", requestId: "e2e-req-503" } } },
      { status: 429, headers: { "Retry-After": "30" }, body: { error: { code: "RATE_LIMITED", message: "You are generating faster than your plan allows", requestId: "e2e-req-429" } } },
      { status: 402, body: { error: { code: "INSUFFICIENT_CREDITS", message: "This needs 60 credits; you have 20 available", requestId: "e2e-req-402" } } },
    ];
    await page.route(GENERATIONS_POST, (route) => {
      keys.push(route.request().headers()["idempotency-key"] ?? "");
      const answer = answers.shift();
      if (!answer) return route.fallback();
      return route.fulfill({ status: answer.status, headers: answer.headers ?? {}, contentType: "application/json", body: JSON.stringify(answer.body) });
    });

    await submitButton(page).click();
    await page.getByRole("alert").getByText("The queue is busy; try again").waitFor();
    await submitButton(page).click();
    await page
      .getByRole("alert")
      .getByText(/Try again in (29|30) seconds\./)
      .waitFor();
    expect(keys[1], "the same attempt again: the same key").toBe(keys[0]);

    await page.getByLabel("Images per pose").fill("2");
    await page.getByLabel("Images per pose").blur();
    await submitButton(page).click();
    const notice = page.getByRole("alert").filter({ hasText: "Not enough credits" });
    await notice.getByText("This needs 60 credits; you have 20 available").waitFor();
    expect(await notice.getByRole("link", { name: "Get credits" }).getAttribute("href")).toBe("/credits");
    expect(keys[2], "another body: another attempt").not.toBe(keys[0]);

    await submitButton(page).click();
    await page.waitForURL(/\/generations\/[\w-]+$/);
    expect(keys).toHaveLength(4);
    expect(keys[3], "after a refusal the next try is a new attempt").not.toBe(keys[2]);
    await closeTab(tab);
  });

  it("offers to cancel while images are queued and shows what was cancelled", async () => {
    const tab = await openTab();
    const { page } = tab;
    await signUp(page);
    // A generation stuck in the queue, served by the test: the worker here finishes too fast to catch one.
    const id = "e2e-queued-generation";
    const item = (key: string, status: string) => ({ key, status, outputUrl: null, thumbnailUrl: null, outputs: {}, error: status === "cancelled" ? "Cancelled; not charged" : null });
    const view = (status: string, items: ReturnType<typeof item>[]) => ({
      id,
      appId: "pose-generator",
      projectId: "p1",
      status,
      total: items.length,
      completed: 0,
      failed: 0,
      cancelled: items.filter((i) => i.status === "cancelled").length,
      cost: 90,
      charged: null,
      refunded: null,
      error: null,
      createdAt: new Date().toISOString(),
      finishedAt: null,
      items,
    });
    // After the cancel, every read (the socket's resync may come at any time) sees what the cancel answered.
    const afterCancel = () => view("processing", [item("a.0", "processing"), item("b.0", "cancelled"), item("c.0", "cancelled")]);
    let cancelled = false;
    await page.route(`**/api/generations/${id}`, (route) =>
      route.fulfill({
        contentType: "application/json",
        body: JSON.stringify(cancelled ? afterCancel() : view("processing", [item("a.0", "processing"), item("b.0", "queued"), item("c.0", "queued")])),
      }),
    );
    let cancels = 0;
    await page.route(`**/api/generations/${id}/cancel`, (route) => {
      cancels++;
      cancelled = true;
      return route.fulfill({ contentType: "application/json", body: JSON.stringify({ generation: afterCancel() }) });
    });

    await page.goto(`/generations/${id}`);
    const cancel = page.getByRole("button", { name: "Cancel queued images" });
    await cancel.waitFor();
    expect(await page.getByTestId("generation-counts").textContent()).toBe("0 of 3 done · 3 to go");
    await cancel.click();
    await expect.poll(() => page.locator('[data-testid="tile"][data-status="cancelled"]').count()).toBe(2);
    expect(cancels).toBe(1);
    expect(await cancel.count()).toBe(0);
    expect(await page.getByTestId("generation-counts").textContent()).toBe("0 of 3 done · 2 cancelled · 1 to go");
    await closeTab(tab);
  });
});
