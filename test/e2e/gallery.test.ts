import { readFile } from "node:fs/promises";
import AxeBuilder from "@axe-core/playwright";
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { readZip } from "../support/unzip";
import { BASE, closeTab, createFirstProject, loadedImages, openTab, screenshot, screenshotPhone, signUp, useBrowser } from "./browser";

useBrowser();

/** Generates one avatar from `prompt` and waits on its generation page until it is done. */
async function generateAvatar(page: Page, prompt: string): Promise<void> {
  await page.getByLabel("Describe the avatar").fill(prompt);
  await page.getByRole("button", { name: /^Generate 1 avatar/ }).click();
  await page.waitForURL(/\/generations\/[\w-]+$/);
  await expect.poll(() => page.getByTestId("status").first().textContent(), { timeout: 30_000 }).toBe("Done");
  expect(await loadedImages(page.locator(".tiles"))).toBe(1);
}

const tiles = (page: Page) => page.getByTestId("gallery-tile");

/** Serious and critical accessibility violations on the page as it is now (axe-core). */
async function seriousViolations(page: Page): Promise<string[]> {
  const { violations } = await new AxeBuilder({ page }).analyze();
  return violations.filter((v) => v.impact === "serious" || v.impact === "critical").map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
}

describe("gallery, favourites, stats and projects", () => {
  it("stars on the generation page and in the gallery, filters, searches, zips, counts and deletes", async () => {
    const tab = await openTab();
    const { page } = tab;
    await signUp(page);
    await page.goto("/apps/avatar-creator");
    await createFirstProject(page, "Team photos");

    await generateAvatar(page, "friendly engineer with round glasses");
    const star = page.locator(".tiles").getByTestId("star");
    await star.click();
    await expect.poll(() => star.getAttribute("aria-pressed")).toBe("true");
    await page.reload();
    await expect.poll(() => page.locator(".tiles").getByTestId("star").getAttribute("aria-pressed")).toBe("true");
    await screenshot(page, "generation-starred");

    await page.getByRole("link", { name: "Back to Avatar Creator" }).click();
    await generateAvatar(page, "sale: 100% cotton_shirt");

    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Gallery" }).click();
    await page.waitForURL(`${BASE}/gallery`);
    await expect.poll(() => tiles(page).count()).toBe(2);
    expect(await loadedImages(page.getByTestId("gallery"))).toBe(2);
    // Newest first; the star set on the generation page shows here too.
    expect(await tiles(page).nth(0).textContent()).toContain("100% cotton_shirt");
    expect(await tiles(page).nth(1).getByTestId("star").getAttribute("aria-pressed")).toBe("true");
    expect(await tiles(page).nth(0).getByTestId("star").getAttribute("aria-pressed")).toBe("false");

    await page.getByLabel("Favourites only").check();
    await expect.poll(() => tiles(page).count()).toBe(1);
    expect(await tiles(page).first().textContent()).toContain("round glasses");
    await page.getByLabel("Favourites only").uncheck();
    await page.getByLabel("Search prompts").fill("0% cotton_");
    await expect.poll(() => tiles(page).count()).toBe(1);
    expect(await tiles(page).first().textContent()).toContain("100% cotton_shirt");
    await page.getByLabel("Search prompts").fill("0%_cotton");
    await page.getByText("Nothing here yet").waitFor();
    await page.getByRole("button", { name: "Clear filters" }).click();
    await expect.poll(() => tiles(page).count()).toBe(2);
    await page.getByLabel("Status").selectOption({ label: "Failed" });
    await page.getByText("Nothing here yet").waitFor();
    await page.getByLabel("Status").selectOption({ label: "Finished" });
    await expect.poll(() => tiles(page).count()).toBe(2);

    // A refused star goes back as it was, and says so.
    await page.route(
      "**/items/*/favorite",
      (route) => route.fulfill({ status: 503, contentType: "application/json", body: JSON.stringify({ error: { code: "SERVICE_UNAVAILABLE", message: "Try again", requestId: "e2e" } }) }),
      { times: 1 },
    );
    const newest = tiles(page).nth(0).getByTestId("star");
    await newest.click();
    await page.getByRole("alert").getByText("The star could not be saved; it is back as it was.").waitFor();
    expect(await newest.getAttribute("aria-pressed")).toBe("false");
    await newest.click();
    await expect.poll(() => newest.getAttribute("aria-pressed")).toBe("true");

    // Full size, then both in one ZIP.
    await tiles(page)
      .nth(0)
      .getByRole("button", { name: /open full size/ })
      .click();
    await page.getByTestId("full-size").waitFor();
    await page.getByRole("button", { name: "Close" }).click();
    await tiles(page).nth(0).getByTestId("select").check();
    await tiles(page).nth(1).getByTestId("select").check();
    expect(await page.getByTestId("selection").textContent()).toBe("2 selected");
    const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("button", { name: "Download ZIP" }).click()]);
    const entries = readZip(new Uint8Array(await readFile((await download.path())!)));
    expect(entries.map((e) => e.name.split("/")[0])).toEqual(["avatar-creator", "avatar-creator"]);
    expect(entries.every((e) => e.bytes.length > 1000)).toBe(true);
    await screenshot(page, "gallery");
    expect(await seriousViolations(page)).toEqual([]);
    await screenshotPhone(page, "gallery-phone");

    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Dashboard" }).click();
    const stats = page.getByRole("region", { name: "Your studio" });
    await expect.poll(() => stats.getByTestId("stat-credits").textContent()).toBe("20");
    expect(await stats.getByTestId("stat-works").textContent()).toBe("2");
    expect(await stats.getByTestId("stat-projects").textContent()).toBe("1");
    expect(await stats.getByTestId("stat-favourites").textContent()).toBe("2");
    expect(await stats.getByTestId("stat-last-login").textContent()).toBe("This is your first");
    expect(await stats.getByTestId("stats-by-app").textContent()).toContain("Avatar Creator");
    await screenshot(page, "dashboard-stats");
    expect(await seriousViolations(page)).toEqual([]);
    await screenshotPhone(page, "dashboard-stats-phone");

    // Rename, then delete with what it removes said first.
    await page.goto("/apps/avatar-creator");
    // The app's own list of generations, with status and cost.
    const rows = page.getByTestId("app-generations").locator(".row");
    await expect.poll(() => rows.count()).toBe(2);
    expect(await rows.first().textContent()).toMatch(/1 of 1 done10 credits charged · .+Done$/);
    await page.getByRole("button", { name: "Rename project" }).click();
    await page.getByLabel("Project name").fill("Team portraits");
    await page.getByRole("button", { name: "Save name" }).click();
    await expect.poll(() => page.getByLabel("Current project").locator("option:checked").textContent()).toBe("Team portraits");
    await page.reload();
    await expect.poll(() => page.getByLabel("Current project").locator("option:checked").textContent()).toBe("Team portraits");
    await page.getByRole("button", { name: "Delete project" }).click();
    const confirm = page.getByRole("alertdialog", { name: "Delete “Team portraits”?" });
    expect(await confirm.textContent()).toContain("every generation in it, their images and downloads");
    await screenshotPhone(page, "project-delete-phone");
    await confirm.getByRole("button", { name: "Delete project" }).click();
    await page.getByLabel("Name your first project").waitFor();
    await page.goto("/gallery");
    await page.getByText("Nothing here yet").waitFor();
    await closeTab(tab);
  }, 180_000);
});
