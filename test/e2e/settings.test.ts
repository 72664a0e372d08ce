import { readFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { readZip } from "../support/unzip";
import { BASE, PASSWORD, PHONE, closeTab, openTab, screenshot, screenshotPhone, signUp, useBrowser } from "./browser";

useBrowser();

const NEW_PASSWORD = "a different battery staple";

describe("settings", () => {
  it("renames the user, and a password change ends the other device's session", async () => {
    const laptop = await openTab();
    const { page } = laptop;
    const { email } = await signUp(page, "Ada Lovelace");
    const phone = await openTab(PHONE);
    await phone.page.goto("/login");
    await phone.page.getByLabel("Email").fill(email);
    await phone.page.getByLabel("Password").fill(PASSWORD);
    await phone.page.getByRole("button", { name: "Log in" }).click();
    await phone.page.waitForURL(`${BASE}/`);

    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Settings" }).click();
    await page.waitForURL(`${BASE}/settings`);
    await page.getByLabel("Name", { exact: true }).fill("Ada King");
    await page.getByRole("button", { name: "Save name" }).click();
    await page.getByText("Name saved.").waitFor();
    await page.reload();
    await expect.poll(() => page.getByLabel("Name", { exact: true }).inputValue()).toBe("Ada King");

    await page.getByLabel("Current password").fill("not my password at all");
    await page.getByLabel("New password").fill(NEW_PASSWORD);
    await page.getByRole("button", { name: "Change password" }).click();
    await page.getByText("The current password is wrong").waitFor();
    await page.getByLabel("Current password").fill(PASSWORD);
    await page.getByRole("button", { name: "Change password" }).click();
    await page.getByText("Password changed. Every other device is logged out.").waitFor();
    await screenshot(page, "settings");

    await phone.page.goto("/credits");
    await phone.page.waitForURL(/\/login/);
    await phone.page.goto("/settings");
    await phone.page.waitForURL(/\/login/);
    await phone.page.getByLabel("Email").fill(email);
    await phone.page.getByLabel("Password").fill(NEW_PASSWORD);
    await phone.page.getByRole("button", { name: "Log in" }).click();
    await phone.page.waitForURL(`${BASE}/settings`);
    await screenshotPhone(phone.page, "settings-phone");
    await closeTab(phone);
    await closeTab(laptop);
  });

  it("downloads a ZIP of my data, verifies my statement, then deletes the account for good", async () => {
    const tab = await openTab();
    const { page } = tab;
    const { email } = await signUp(page, "Grace Hopper");

    await page.goto("/credits");
    await page.getByRole("button", { name: "Verify" }).click();
    await expect.poll(() => page.getByTestId("statement-verdict").textContent()).toMatch(/^Verified: 1 entry, head [0-9a-f]{16}…$/);
    await screenshot(page, "credits-verified");

    // A statement altered on its way: the browser refuses its signature and says so.
    await page.route("**/api/credits/statement*", async (route) => {
      const { statement } = (await (await route.fetch()).json()) as { statement: string };
      const [header, payload, signature] = statement.split(".") as [string, string, string];
      const edited = Buffer.from(Buffer.from(payload, "base64url").toString().replace('"amount":100', '"amount":900')).toString("base64url");
      await route.fulfill({ json: { statement: `${header}.${edited}.${signature}` } });
    });
    await page.getByRole("button", { name: "Verify" }).click();
    await expect.poll(() => page.getByTestId("statement-verdict").textContent()).toMatch(/^Not verified: the signature does not verify/);
    await page.unroute("**/api/credits/statement*");

    await page.goto("/settings");
    const download = page.waitForEvent("download");
    await page.getByRole("button", { name: "Download my data" }).click();
    const zip = await readFile(await (await download).path());
    const entries = readZip(new Uint8Array(zip));
    expect(entries.map((e) => e.name)).toEqual(["profile.json", "ledger.json", "orders.json", "generations.json"]);
    expect(JSON.parse(new TextDecoder().decode(entries[0]!.bytes)).user.email).toBe(email);

    await page.getByLabel("Password", { exact: true }).fill("a wrong password here");
    await page.getByLabel("I understand this cannot be undone").check();
    await page.getByRole("button", { name: "Delete my account" }).click();
    await page.getByText("The password is wrong").waitFor();
    await page.getByLabel("Password", { exact: true }).fill(PASSWORD);
    await page.getByRole("button", { name: "Delete my account" }).click();
    await page.waitForURL(`${BASE}/login`);

    await page.getByLabel("Email").fill(email);
    await page.getByLabel("Password").fill(PASSWORD);
    await page.getByRole("button", { name: "Log in" }).click();
    await page.getByText("Wrong email or password").waitFor();
    await closeTab(tab);
  });
});
