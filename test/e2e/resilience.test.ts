import { describe, expect, it } from "vitest";
import { availableCredits, closeTab, openTab, screenshot, signUp, useBrowser } from "./browser";

useBrowser();

const errorBody = (code: string, message: string) => JSON.stringify({ error: { code, message, requestId: "e2e-request-0001" } });

describe("the API client under failure", () => {
  it("shares one refresh among concurrent 401s and replays each request once, even a 401 that arrives after the refresh", async () => {
    const tab = await openTab();
    const { page } = tab;
    let catalogReads = 0;
    page.on("request", (r) => {
      if (new URL(r.url()).pathname === "/api/apps") catalogReads++;
    });
    const registered = page.waitForResponse((r) => r.url().endsWith("/api/auth/register"));
    await signUp(page);
    const { accessToken } = (await (await registered).json()) as { accessToken: string };
    await page.getByRole("region", { name: "Apps" }).getByRole("link", { name: "Pose Generator" }).click();
    await page.getByRole("heading", { level: 1, name: "Pose Generator" }).waitFor();
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Credits" }).click();
    await page.locator("table.ledger tbody tr").first().waitFor();
    await page.waitForLoadState("networkidle");

    // From now on the token the page holds counts as expired: each request carrying it gets a 401.
    // The library's 401 is held back until the shared refresh is over and the other panels have
    // their answers with the new token: the order a slow network gives, made on purpose.
    const LATE = "/api/apps/pose-generator/library/categories";
    let refreshes = 0;
    let rejected = 0;
    const late: string[] = [];
    let refreshed!: () => void;
    const refreshOver = new Promise<void>((resolve) => (refreshed = resolve));
    page.on("request", (r) => {
      if (r.url().endsWith("/api/auth/refresh")) refreshes++;
      if (new URL(r.url()).pathname === LATE) late.push(r.headers().authorization === `Bearer ${accessToken}` ? "old token" : "new token");
    });
    page.on("requestfinished", (r) => {
      if (new URL(r.url()).pathname === "/api/projects" && r.headers().authorization !== `Bearer ${accessToken}`) refreshed();
    });
    await page.route("**/api/**", async (route) => {
      if (route.request().headers().authorization !== `Bearer ${accessToken}`) return route.fallback();
      rejected++;
      if (new URL(route.request().url()).pathname === LATE) await refreshOver;
      return route.fulfill({ status: 401, contentType: "application/json", body: errorBody("UNAUTHENTICATED", "The access token is invalid or expired") });
    });

    // Back (in the same document) to the Pose Generator, which asks for its panels at once (projects,
    // library, categories, avatars), all with the stale token; the catalogue is already loaded.
    await page.goBack();
    await page.getByRole("heading", { level: 1, name: "Pose Generator" }).waitFor();
    await expect.poll(() => late).toEqual(["old token", "new token"]);
    await expect.poll(() => page.locator('[aria-busy="true"]').count()).toBe(0);
    await page.getByTestId("pose-grid").getByRole("checkbox", { name: "Relaxed Stand", exact: true }).waitFor();
    expect(rejected).toBeGreaterThanOrEqual(3);
    expect(refreshes).toBe(1);
    // On failure the message carries the panel's text: the error it shows says what went wrong.
    for (const name of ["Project", "Poses", "Options"]) {
      const panel = page.getByRole("region", { name });
      expect(await panel.getByRole("button", { name: "Retry" }).count(), `${name}: ${await panel.textContent()}`).toBe(0);
    }
    expect(new URL(page.url()).pathname).toBe("/apps/pose-generator");
    expect(catalogReads, "the dashboard and the Pose Generator share one catalogue per session").toBe(1);
    await closeTab(tab);
  });

  it("shows a failing panel's error with Retry, keeps the others, and recovers", async () => {
    const tab = await openTab();
    const { page } = tab;
    await signUp(page);

    let failing = true;
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    await page.route("**/api/credits/balance", async (route) => {
      if (failing) {
        await held;
        return route.fulfill({ status: 503, contentType: "application/json", body: errorBody("SERVICE_UNAVAILABLE", "The ledger is busy; try again shortly") });
      }
      return route.fallback();
    });
    await page.reload();
    // While the balance is in flight: skeletons of fixed size, never a stand-in number.
    await page.getByRole("heading", { name: "Recent generations" }).waitFor();
    expect(await availableCredits(page).locator(".skeleton").count()).toBe(1);
    expect(await availableCredits(page).textContent()).toBe("");
    await screenshot(page, "dashboard-loading", { settle: false });
    release();

    const panel = page.getByRole("region", { name: "Credits" });
    await panel.getByText("The ledger is busy; try again shortly").waitFor();
    // Waited for, not counted: the socket's first resync may be refetching (and failing) again right now.
    await panel.getByText("Reference e2e-request-0001").waitFor();
    await screenshot(page, "dashboard-error");
    failing = false;
    await panel.getByRole("button", { name: "Retry" }).click();
    await expect.poll(() => availableCredits(page).textContent()).toBe("100");
    await closeTab(tab);
  });

  it("says when to retry after a 429", async () => {
    const tab = await openTab();
    const { page } = tab;
    await signUp(page);
    await page.route("**/api/credits/history*", (route) =>
      route.fulfill({ status: 429, headers: { "Retry-After": "30" }, contentType: "application/json", body: errorBody("RATE_LIMITED", "Too many requests; retry in 30 s") }),
    );
    await page.goto("/credits");
    const panel = page.getByRole("region", { name: "History" });
    await panel.getByText(/Try again in (29|30) seconds\./).waitFor();
    expect(await panel.getByRole("button", { name: "Retry" }).isDisabled()).toBe(true);
    await closeTab(tab);
  });

  it("fails soft while the realtime endpoint is missing: one quiet attempt, then a long backoff", async () => {
    const tab = await openTab();
    const { page } = tab;
    let tickets = 0;
    await page.route("**/api/realtime/ticket", (route) => {
      tickets++;
      return route.fulfill({ status: 404, contentType: "application/json", body: errorBody("NOT_FOUND", "No route for POST /api/realtime/ticket") });
    });
    // The page's clock runs on its own until paused; then only the test moves it.
    await page.clock.install();
    await signUp(page);
    await expect.poll(() => availableCredits(page).textContent()).toBe("100");
    await expect.poll(() => tickets).toBe(1);
    // Paused a minute on (never in the page's past, however slow the machine), then moved by the
    // test alone. The long backoff is 150–300 s (half of 5 minutes plus jitter) from the 404; the
    // ordinary one starts at 0.5–1 s.
    await page.clock.pauseAt((await page.evaluate(() => Date.now())) + 60_000);
    await page.clock.runFor(80_000);
    expect(tickets).toBe(1);
    expect(await page.locator(".live-dot.is-live").count()).toBe(0);
    // And it does come back once the backoff has run out.
    await page.clock.runFor(400_000);
    await expect.poll(() => tickets >= 2).toBe(true);
    await closeTab(tab);
  });
});
