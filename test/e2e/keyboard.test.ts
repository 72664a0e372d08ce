/**
 * Keyboard only: from the dashboard to a finished pose generation, its output starred in the
 * gallery, then a package bought through the sandbox gateway, with Tab, Enter and Space (and typing into fields); every stop shows focus.
 */
import type { Locator, Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { BASE, availableCredits, closeTab, openTab, signUp, useBrowser } from "./browser";

useBrowser();

/** Enough for the longest page here (the Pose Generator's library) with room to spare. */
const MAX_TABS = 200;

/**
 * Whether focus changes how the focused element (or the card or link decoration around it) is
 * drawn: its ring, outline or border are compared with and without focus.
 */
const focusIsVisible = (page: Page) =>
  page.evaluate(() => {
    const el = document.activeElement;
    // Past the last element focus leaves the page for the browser's own controls, then comes back.
    if (!(el instanceof HTMLElement) || el === document.body) return null;
    // Each element is looked at once: refocusing a date field would put Tab back on its first part.
    const marks = window as Window & { focusChecked?: WeakSet<Element> };
    marks.focusChecked ??= new WeakSet();
    if (marks.focusChecked.has(el)) return null;
    marks.focusChecked.add(el);
    const nodes: Array<[Element, string | null]> = [
      [el, null],
      [el, "::after"],
    ];
    for (let up = el.parentElement, depth = 0; up && depth < 3; up = up.parentElement, depth++) nodes.push([up, null]);
    const look = () =>
      nodes.map(([node, pseudo]) => {
        const s = getComputedStyle(node, pseudo);
        return `${s.boxShadow}|${s.outlineStyle} ${s.outlineWidth} ${s.outlineColor}|${s.borderColor}`;
      });
    const focused = look();
    el.blur();
    const resting = look();
    el.focus({ preventScroll: true });
    if (focused.some((style, i) => style !== resting[i])) return null;
    return `${el.tagName.toLowerCase()} "${(el.getAttribute("aria-label") ?? el.textContent ?? "").trim().slice(0, 40)}" looks the same with focus`;
  });

/** Presses Tab until `target` has focus, checking that every element passed on the way shows it. */
async function tabTo(page: Page, target: Locator, unseen: string[]): Promise<void> {
  for (let presses = 0; presses < MAX_TABS; presses++) {
    await page.keyboard.press("Tab");
    const problem = await focusIsVisible(page);
    if (problem) unseen.push(problem);
    if (await target.evaluate((el) => el === document.activeElement)) return;
  }
  throw new Error(`${MAX_TABS} presses of Tab never reached ${target}`);
}

describe("keyboard only", () => {
  it("makes a pose, stars it in the gallery and buys a package with Tab, Enter and Space, focus visible at every stop", async () => {
    const tab = await openTab();
    const { page } = tab;
    await signUp(page);
    await expect.poll(() => availableCredits(page).textContent()).toBe("100");
    const unseen: string[] = [];

    await tabTo(page, page.getByRole("region", { name: "Apps" }).getByRole("link", { name: "Pose Generator" }), unseen);
    await page.keyboard.press("Enter");
    await page.getByRole("heading", { level: 1, name: "Pose Generator" }).waitFor();

    await tabTo(page, page.getByLabel("Name your first project"), unseen);
    await page.keyboard.type("Keyboard shoot");
    await tabTo(page, page.getByRole("button", { name: "Create project" }), unseen);
    await page.keyboard.press("Enter");
    await page.getByLabel("Current project").waitFor();

    const pose = page.getByTestId("pose-grid").getByRole("checkbox", { name: "Relaxed Stand", exact: true });
    await tabTo(page, pose, unseen);
    await page.keyboard.press("Space");
    expect(await pose.isChecked()).toBe(true);
    const submit = page.getByRole("button", { name: "Generate 1 image · 30 credits" });
    await tabTo(page, submit, unseen);
    await page.keyboard.press("Enter");
    await page.waitForURL(/\/generations\/[\w-]+$/);
    await expect.poll(() => page.getByTestId("status").first().textContent(), { timeout: 30_000 }).toBe("Done");
    await expect.poll(() => page.getByTestId("charged").textContent()).toBe("30");

    // The gallery: the new output is there, and its star is set with the keyboard.
    await tabTo(page, page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Gallery" }), unseen);
    await page.keyboard.press("Enter");
    await page.waitForURL(`${BASE}/gallery`);
    const star = page.getByTestId("gallery-tile").first().getByTestId("star");
    await expect.poll(() => star.getAttribute("aria-pressed")).toBe("false");
    await tabTo(page, star, unseen);
    await page.keyboard.press("Space");
    await expect.poll(() => star.getAttribute("aria-pressed")).toBe("true");

    await tabTo(page, page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Credits" }), unseen);
    await page.keyboard.press("Enter");
    await page.getByRole("heading", { level: 1, name: "Credits" }).waitFor();
    await expect.poll(() => availableCredits(page).textContent()).toBe("70");
    await tabTo(page, page.getByRole("button", { name: "Buy Starter" }), unseen);
    await page.keyboard.press("Enter");
    await page.waitForURL(/\/sandbox\/pay\/SBX[0-9A-F]{24}$/);
    await tabTo(page, page.getByRole("button", { name: "Pay" }), unseen);
    await page.keyboard.press("Space");
    await page.waitForURL(/\/credits\?order=[0-9a-f-]{36}$/);
    await expect.poll(() => page.getByTestId("current-order").getByTestId("order-status").textContent()).toBe("Paid");
    await expect.poll(() => availableCredits(page).textContent()).toBe("170");

    expect(unseen, "every element Tab stopped on shows where focus is").toEqual([]);
    expect(new URL(page.url()).origin).toBe(BASE);
    await closeTab(tab);
  });
});
