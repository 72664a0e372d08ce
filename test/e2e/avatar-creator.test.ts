import { describe, expect, it } from "vitest";
import { BASE, availableCredits, closeTab, createFirstProject, loadedImages, openTab, pngImage, screenshot, screenshotPhone, signUp, useBrowser } from "./browser";

useBrowser();

describe("avatar creator", () => {
  it("checks, uploads, lists, renames and deletes an avatar, and generates one", async () => {
    const tab = await openTab();
    const { page } = tab;
    await signUp(page);
    await page.getByRole("region", { name: "Apps" }).getByRole("link", { name: "Avatar Creator" }).click();
    await page.waitForURL(`${BASE}/apps/avatar-creator`);
    await createFirstProject(page, "Team photos");
    await page.getByText("No avatars in this project yet").waitFor();

    let uploads = 0;
    page.on("request", (r) => {
      if (r.method() === "POST" && r.url().endsWith("/avatars")) uploads++;
    });
    const input = page.locator('input[type="file"]');
    await input.setInputFiles({ name: "huge.png", mimeType: "image/png", buffer: await pngImage(5000, 300) });
    await page.getByRole("alert").getByText("Each side must be 256–4096 px; this image is 5000×300.").waitFor();
    await input.setInputFiles({ name: "fake.jpg", mimeType: "image/jpeg", buffer: Buffer.from("GIF89a, or anything that is not a JPEG") });
    await page.getByRole("alert").getByText("This is not a PNG, JPEG or WebP image.").waitFor();
    expect(await page.getByRole("button", { name: "Upload avatar" }).isDisabled()).toBe(true);

    await input.setInputFiles({ name: "Ada portrait.png", mimeType: "image/png", buffer: await pngImage(512, 512) });
    await page.getByTestId("upload-checked").getByText("Ready: PNG · 512×512 px").waitFor();
    expect(await page.getByLabel("Avatar name").inputValue()).toBe("Ada portrait");
    expect(uploads, "refused files never leave the browser").toBe(0);
    await page.getByRole("button", { name: "Upload avatar" }).click();
    await page.locator(".notice--success", { hasText: "Uploaded “Ada portrait”." }).waitFor();
    expect(uploads).toBe(1);

    const cards = page.getByTestId("avatar-card");
    await expect.poll(() => cards.count()).toBe(1);
    expect(await cards.first().textContent()).toContain("Ada portrait");
    expect(await cards.first().textContent()).toContain("Uploaded · 512×512");
    expect(await loadedImages(page.getByTestId("avatars"))).toBe(1);

    await page.getByRole("button", { name: "Rename Ada portrait" }).click();
    await page.getByLabel("New name").fill("Ada, studio light");
    await page.getByRole("button", { name: "Save" }).click();
    await page.getByTestId("avatars").getByText("Ada, studio light").waitFor();
    await page.reload();
    await page.getByTestId("avatars").getByText("Ada, studio light").waitFor();
    await screenshot(page, "avatar-creator");
    await screenshotPhone(page, "avatar-creator-phone");

    // Generate one from a description: 10 credits, then it joins the list.
    await page.getByLabel("Describe the avatar").fill("friendly engineer with round glasses");
    await page.getByLabel("Style preset").selectOption({ label: "Watercolour" });
    await expect.poll(() => page.getByTestId("cost-total").textContent()).toBe("10 credits");
    await page.getByRole("button", { name: /^Generate 1 avatar/ }).click();
    await page.waitForURL(/\/generations\/[\w-]+$/);
    await expect.poll(() => page.getByTestId("status").first().textContent(), { timeout: 30_000 }).toBe("Done");
    expect(await loadedImages(page.locator(".tiles"))).toBe(1);
    await page.getByRole("link", { name: "Back to Avatar Creator" }).click();
    await expect.poll(() => cards.count()).toBe(2);
    expect(await cards.first().textContent()).toContain("Generated");

    await page.getByRole("button", { name: "Delete Ada, studio light" }).click();
    await page.getByRole("button", { name: "Confirm delete" }).click();
    await expect.poll(() => cards.count()).toBe(1);
    await page.reload();
    await expect.poll(() => cards.count()).toBe(1);
    expect(await page.getByTestId("avatars").getByText("Ada, studio light").count()).toBe(0);

    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Dashboard" }).click();
    await expect.poll(() => availableCredits(page).textContent()).toBe("90");
    await closeTab(tab);
  }, 90_000);

  it("waits for the catalogue instead of guessing its limits, and recovers with Retry", async () => {
    const tab = await openTab();
    const { page } = tab;
    await signUp(page);
    // The catalogue fails from the next page load on: the forms must not invent limits meanwhile.
    let failing = true;
    await page.route("**/api/apps", (route) =>
      failing
        ? route.fulfill({
            status: 503,
            contentType: "application/json",
            body: JSON.stringify({ error: { code: "SERVICE_UNAVAILABLE", message: "The catalogue is resting", requestId: "e2e-req-apps" } }),
          })
        : route.fallback(),
    );
    await page.goto("/apps/avatar-creator");
    await createFirstProject(page, "Catalogue drill");
    const generate = page.getByRole("region", { name: "Generate avatars" });
    await generate.getByText("The catalogue is resting").waitFor();
    expect(await page.locator('input[type="file"]').count(), "no drop zone without the upload rule").toBe(0);
    expect(await page.getByLabel("Describe the avatar").count()).toBe(0);

    failing = false;
    await generate.getByRole("button", { name: "Retry" }).click();
    await page.getByLabel("Describe the avatar").waitFor();
    expect(await page.getByLabel("Describe the avatar").getAttribute("maxlength")).toBe("500");
    expect(await generate.getByRole("radio").count(), "one choice per count the server allows (1–4)").toBe(4);
    await page.getByText("PNG, JPEG or WebP · up to 10 MB · 256–4096 px each side").waitFor();
    await closeTab(tab);
  });
});
