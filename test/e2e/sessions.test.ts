import { describe, expect, it } from "vitest";
import { BASE, PASSWORD, PHONE, closeTab, openTab, screenshot, signUp, useBrowser } from "./browser";

useBrowser();

describe("sessions page", () => {
  it("lists the current session as this device", async () => {
    const tab = await openTab();
    const { page } = tab;
    await signUp(page);
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Sessions" }).click();
    await page.waitForURL(`${BASE}/sessions`);

    const rows = page.getByTestId("sessions").locator("li");
    await expect.poll(() => rows.count()).toBe(1);
    expect(await rows.first().textContent()).toContain("This device");
    expect(await rows.first().textContent()).toContain("Headless Chrome on Linux");
    expect(await page.getByRole("button", { name: "Log out other devices" }).isDisabled()).toBe(true);
    await screenshot(page, "sessions");
    await closeTab(tab);
  });

  it("logs out other devices, which then land on the login page", async () => {
    const laptop = await openTab();
    const { email } = await signUp(laptop.page, "Margaret Hamilton");
    const phone = await openTab(PHONE);
    await phone.page.goto("/login");
    await phone.page.getByLabel("Email").fill(email);
    await phone.page.getByLabel("Password").fill(PASSWORD);
    await phone.page.getByRole("button", { name: "Log in" }).click();
    await phone.page.waitForURL(`${BASE}/`);

    await phone.page.goto("/sessions");
    const rows = phone.page.getByTestId("sessions").locator("li");
    await expect.poll(() => rows.count()).toBe(2);
    await screenshot(phone.page, "sessions-phone");

    await laptop.page.goto("/sessions");
    await expect.poll(() => laptop.page.getByTestId("sessions").locator("li").count()).toBe(2);
    await laptop.page.getByRole("button", { name: "Log out other devices" }).click();
    await laptop.page.locator(".notice--success", { hasText: "Logged out 1 other device." }).waitFor();
    expect(await laptop.page.getByTestId("sessions").locator("li").count()).toBe(1);

    // The phone's session is gone: its next call fails, the refresh is refused, and it signs out.
    await phone.page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Credits" }).click();
    await phone.page.waitForURL(`${BASE}/login?next=%2Fcredits`);
    await phone.page.getByText("Your session ended").waitFor();
    await closeTab(phone);
    await closeTab(laptop);
  });
});
