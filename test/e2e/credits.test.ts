import { describe, expect, it } from "vitest";
import { BASE, PHONE, availableCredits, closeTab, openTab, screenshot, signUp, useBrowser } from "./browser";

useBrowser();

/** The bench charge route (BENCH_ROUTES=true in the e2e server) writes ledger entries quickly. */
async function charge(token: string, times: number): Promise<void> {
  for (let i = 0; i < times; i++) {
    const res = await fetch(`${BASE}/api/bench/charge`, {
      method: "POST",
      headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
      body: JSON.stringify({ amount: 1 }),
    });
    if (!res.ok) throw new Error(`bench charge failed: ${res.status} ${await res.text()}`);
  }
}

describe("credits page", () => {
  it("shows the balance and the signup grant in the history", async () => {
    const tab = await openTab();
    const { page } = tab;
    await signUp(page);
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Credits" }).click();
    await page.waitForURL(`${BASE}/credits`);

    const rows = page.locator("table.ledger tbody tr");
    await expect.poll(() => rows.count()).toBe(1);
    const row = rows.first();
    expect(await row.locator(".ledger__amount").textContent()).toBe("+100");
    expect(await row.locator(".badge--kind").textContent()).toBe("Grant");
    expect(await availableCredits(page).textContent()).toBe("100");
    expect(await page.getByRole("button", { name: "Load more" }).count()).toBe(0);
    await screenshot(page, "credits");
    await closeTab(tab);
  });

  it("pages through a long history with Load more", async () => {
    const tab = await openTab(PHONE);
    const { page } = tab;
    const registered = page.waitForResponse((r) => r.url().endsWith("/api/auth/register"));
    await signUp(page, "Katherine Johnson");
    const { accessToken } = (await (await registered).json()) as { accessToken: string };
    await charge(accessToken, 25);

    await page.goto("/credits");
    const rows = page.locator("table.ledger tbody tr");
    await expect.poll(() => rows.count()).toBe(20);
    const total = await (async () => {
      await page.getByRole("button", { name: "Load more" }).click();
      await expect.poll(async () => (await rows.count()) > 20).toBe(true);
      return rows.count();
    })();
    // Oldest last: the signup grant closes the list once every page is in.
    // Each click waits for its page of rows; the button goes once the last page is in.
    while (await page.getByRole("button", { name: "Load more" }).count()) {
      const shown = await rows.count();
      await page.getByRole("button", { name: "Load more" }).click();
      await expect.poll(async () => (await rows.count()) > shown).toBe(true);
    }
    expect(total).toBeGreaterThan(20);
    expect(await rows.last().locator(".badge--kind").textContent()).toBe("Grant");
    expect(await availableCredits(page).textContent()).toBe("75");
    await screenshot(page, "credits-phone");
    await closeTab(tab);
  });
});

describe("live balance", () => {
  it("updates the dashboard over the realtime socket when credits change elsewhere", async () => {
    const tab = await openTab();
    const { page } = tab;
    const registered = page.waitForResponse((r) => r.url().endsWith("/api/auth/register"));
    await signUp(page);
    const { accessToken } = (await (await registered).json()) as { accessToken: string };
    await expect.poll(() => availableCredits(page).textContent()).toBe("100");
    await page.locator(".live-dot.is-live").waitFor();

    const balanceFetches: string[] = [];
    page.on("request", (r) => {
      if (r.url().endsWith("/api/credits/balance")) balanceFetches.push(r.url());
    });
    await charge(accessToken, 3);
    await expect.poll(() => availableCredits(page).textContent()).toBe("97");
    expect(await page.getByTestId("balance-total").textContent()).toBe("97");
    expect(balanceFetches, "the socket's numbers are shown as they are, without a refetch").toEqual([]);
    await closeTab(tab);
  });
});
