/** Shared by the browser tests: one Chromium per file, a fresh context per test, screenshots, sign-up. */
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { chromium, type Browser, type BrowserContext, type Locator, type Page } from "playwright-core";
import sharp from "sharp";
import { afterAll, beforeAll, expect } from "vitest";

export const BASE = process.env.E2E_BASE_URL ?? "";
if (!BASE) throw new Error("E2E_BASE_URL is not set: run the browser tests with `node scripts/e2e.mjs`");
const SHOTS = process.env.E2E_SCREENSHOTS ?? join(process.cwd(), "test-results", "screenshots");
export const PASSWORD = "correct horse battery staple";

export const DESKTOP = { width: 1280, height: 860 };
export const PHONE = { width: 375, height: 812 };

let browser: Browser;

/** Launches Chromium for this test file; closes it after. */
export function useBrowser(): void {
  beforeAll(async () => {
    browser = await chromium.launch({
      executablePath: process.env.E2E_CHROMIUM ?? "/usr/bin/chromium-headless-shell",
      args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
    });
  });
  afterAll(async () => {
    await browser?.close();
  });
}

export interface Tab {
  context: BrowserContext;
  page: Page;
  /** Uncaught exceptions in the page: every test expects none. */
  pageErrors: string[];
}

/** A fresh, isolated browser profile (cookies, storage) with one page. */
export async function openTab(viewport = DESKTOP): Promise<Tab> {
  const context = await browser.newContext({ baseURL: BASE, viewport });
  const page = await context.newPage();
  const pageErrors: string[] = [];
  page.on("pageerror", (e) => pageErrors.push(e.message));
  return { context, page, pageErrors };
}

export async function closeTab(tab: Tab): Promise<void> {
  expect(tab.pageErrors, "uncaught errors in the page").toEqual([]);
  await tab.context.close();
}

/** A full-length PNG in test-results/screenshots; by default once the network has gone quiet. */
export async function screenshot(page: Page, name: string, { settle = true } = {}): Promise<void> {
  mkdirSync(SHOTS, { recursive: true });
  // Regions mark themselves aria-busy while loading: wait for every panel to have its answer.
  if (settle) await expect.poll(() => page.locator('[aria-busy="true"]').count(), { timeout: 10_000 }).toBe(0);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(overflow, `${name}: nothing may scroll sideways`).toBeLessThanOrEqual(0);
  await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true, animations: "disabled" });
}

let counter = 0;
export const uniqueEmail = (prefix = "e2e") => `${prefix}-${Date.now().toString(36)}-${(counter++).toString(36)}@example.com`;

/** Signs up through the form and waits for the dashboard. */
export async function signUp(page: Page, name = "Ada Lovelace", email = uniqueEmail()): Promise<{ email: string }> {
  await page.goto("/signup");
  await page.getByLabel("Name").fill(name);
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Create account" }).click();
  await page.waitForURL(`${BASE}/`);
  await page.getByRole("heading", { level: 1, name: "Dashboard" }).waitFor();
  return { email };
}

export const availableCredits = (page: Page) => page.getByTestId("balance-available");

/** The same page at phone width, screenshotted, then back at the width it had. */
export async function screenshotPhone(page: Page, name: string): Promise<void> {
  const before = page.viewportSize() ?? DESKTOP;
  await page.setViewportSize(PHONE);
  await screenshot(page, name);
  await page.setViewportSize(before);
}

/** Waits until every image under `scope` has loaded with real pixels; returns how many there are. */
export async function loadedImages(scope: Locator): Promise<number> {
  const images = scope.locator("img");
  await expect.poll(() => images.evaluateAll((list) => list.length > 0 && list.every((img) => (img as HTMLImageElement).complete && (img as HTMLImageElement).naturalWidth > 0))).toBe(true);
  return images.count();
}

/** A solid-colour PNG of the given size, for upload tests. */
export function pngImage(width: number, height: number): Promise<Buffer> {
  return sharp({ create: { width, height, channels: 3, background: { r: 210, g: 120, b: 80 } } })
    .png()
    .toBuffer();
}

/** Creates a project from an app page's first-project form and waits for the picker. */
export async function createFirstProject(page: Page, name: string): Promise<void> {
  await page.getByLabel("Name your first project").fill(name);
  await page.getByRole("button", { name: "Create project" }).click();
  await page.getByLabel("Current project").waitFor();
}
