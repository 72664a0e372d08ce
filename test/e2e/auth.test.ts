import { describe, expect, it } from "vitest";
import { BASE, PASSWORD, PHONE, availableCredits, closeTab, openTab, screenshot, screenshotPhone, signUp, uniqueEmail, useBrowser } from "./browser";

useBrowser();

describe("signing up, staying signed in, logging out", () => {
  it("signs up and lands on the dashboard with the 100-credit signup balance", async () => {
    const tab = await openTab();
    const { page } = tab;
    await page.goto("/signup");
    await page.getByLabel("Name").fill("Ada Lovelace");
    await page.getByLabel("Email").fill(uniqueEmail());
    await page.getByLabel("Password").fill(PASSWORD);
    await screenshot(page, "signup");
    await screenshotPhone(page, "signup-phone");
    await page.getByRole("button", { name: "Create account" }).click();

    await page.waitForURL(`${BASE}/`);
    await expect.poll(() => availableCredits(page).textContent()).toBe("100");
    expect(await page.getByTestId("balance-total").textContent()).toBe("100");
    expect(await page.getByTestId("balance-held").textContent()).toBe("0");
    await screenshot(page, "dashboard");
    await closeTab(tab);
  });

  it("keeps the user signed in across a reload through one silent refresh, never showing the login page", async () => {
    const tab = await openTab();
    const { page } = tab;
    await signUp(page);
    await expect.poll(() => availableCredits(page).textContent()).toBe("100");

    const visited: string[] = [];
    page.on("framenavigated", (frame) => {
      if (frame === page.mainFrame()) visited.push(new URL(frame.url()).pathname);
    });
    const refresh = page.waitForResponse((r) => r.url().endsWith("/api/auth/refresh"));
    await page.reload();
    expect((await refresh).status(), "the HttpOnly Secure refresh cookie made the round trip").toBe(200);
    await expect.poll(() => availableCredits(page).textContent()).toBe("100");
    expect(new URL(page.url()).pathname).toBe("/");
    expect(visited.filter((p) => p.startsWith("/login"))).toEqual([]);
    expect(await page.getByRole("heading", { name: "Log in to Lumiku" }).count()).toBe(0);
    await closeTab(tab);
  });

  it("lets a visitor with no session, or one who logged out, browse without a failing request or a console error", async () => {
    const tab = await openTab();
    const { page } = tab;
    const failures: string[] = [];
    page.on("response", (r) => {
      if (r.status() >= 400) failures.push(`${r.status()} ${r.request().method()} ${new URL(r.url()).pathname}`);
    });
    // A request the next goto cuts short (the favicon, say) is aborted by the test, not failed.
    page.on("requestfailed", (r) => {
      if (r.failure()?.errorText !== "net::ERR_ABORTED") failures.push(`failed ${r.method()} ${new URL(r.url()).pathname}`);
    });
    page.on("console", (m) => {
      if (m.type() === "error") failures.push(`console: ${m.text()}`);
    });
    const visit = async () => {
      await page.goto("/");
      await page.waitForURL(`${BASE}/login?next=%2F`);
      await page.getByRole("heading", { name: "Log in to Lumiku" }).waitFor();
      await page.goto("/login");
      await page.getByRole("heading", { name: "Log in to Lumiku" }).waitFor();
      await page.goto("/credits");
      await page.waitForURL(`${BASE}/login?next=%2Fcredits`);
      await page.getByRole("heading", { name: "Log in to Lumiku" }).waitFor();
      await page.waitForLoadState("networkidle");
    };
    await visit();
    expect(failures, "a fresh visitor").toEqual([]);

    await signUp(page);
    await page.getByRole("link", { name: "Log out" }).click();
    await page.getByText("You are logged out").waitFor();
    await visit();
    expect(failures, "after logging out").toEqual([]);
    await closeTab(tab);
  });

  it("after logout sends protected pages to /login, and returns there after logging in", async () => {
    const tab = await openTab();
    const { page } = tab;
    const { email } = await signUp(page, "Grace Hopper");

    await page.getByRole("link", { name: "Log out" }).click();
    await page.waitForURL(`${BASE}/login`);
    await page.getByText("You are logged out").waitFor();

    for (const path of ["/", "/apps/pose-generator", "/apps/avatar-creator", "/generations/00000000-0000-4000-8000-000000000000", "/credits", "/sessions"]) {
      await page.goto(path);
      await page.waitForURL(`${BASE}/login?next=${encodeURIComponent(path)}`);
      await page.getByRole("heading", { name: "Log in to Lumiku" }).waitFor();
    }
    await screenshot(page, "login");

    await page.getByLabel("Email").fill(email);
    await page.getByLabel("Password").fill(PASSWORD);
    await page.getByRole("button", { name: "Log in" }).click();
    await page.waitForURL(`${BASE}/sessions`);
    await page.getByRole("heading", { level: 1, name: "Sessions" }).waitFor();
    await closeTab(tab);
  });

  it("shows a wrong password as a readable error and stays on the form", async () => {
    const tab = await openTab(PHONE);
    const { page } = tab;
    await page.goto("/login");
    await page.getByLabel("Email").fill(uniqueEmail("nobody"));
    await page.getByLabel("Password").fill("not the password at all");
    await page.getByRole("button", { name: "Log in" }).click();
    await page.getByRole("alert").getByText("Wrong email or password").waitFor();
    expect(new URL(page.url()).pathname).toBe("/login");
    await screenshot(page, "login-error-phone");
    await closeTab(tab);
  });
});

describe("unknown addresses", () => {
  it("shows a not-found page with a way back", async () => {
    const tab = await openTab();
    const { page } = tab;
    await signUp(page);
    await page.goto("/no/such/page");
    await page.getByRole("heading", { level: 1, name: "Page not found" }).waitFor();
    expect(await page.getByRole("link", { name: "Go to the dashboard" }).getAttribute("href")).toBe("/");
    await screenshot(page, "not-found");
    await screenshotPhone(page, "not-found-phone");
    await closeTab(tab);
  });
});

describe("keyboard use", () => {
  it("offers a skip link that moves focus into the page", async () => {
    const tab = await openTab();
    const { page } = tab;
    await signUp(page);
    await page.reload();
    await page.getByRole("heading", { level: 1, name: "Dashboard" }).waitFor();
    await page.keyboard.press("Tab");
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe("Skip to content");
    await page.keyboard.press("Enter");
    expect(await page.evaluate(() => document.activeElement?.id)).toBe("main");
    await page.keyboard.press("Tab");
    // The first stop inside the page, past the whole header.
    expect(await page.evaluate(() => document.activeElement?.closest("main") !== null)).toBe(true);
    await closeTab(tab);
  });
});
