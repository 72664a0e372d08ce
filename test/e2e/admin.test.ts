import { describe, expect, it } from "vitest";
import { BASE, availableCredits, closeTab, openTab, screenshot, signUp, useBrowser } from "./browser";

useBrowser();

/** The seeded admin (scripts/e2e.mjs runs the seed into the throwaway state). */
const ADMIN = { email: process.env.E2E_ADMIN_EMAIL ?? "", password: process.env.E2E_ADMIN_PASSWORD ?? "" };

/** A tab signed in as the seeded admin, on the console's overview. */
async function adminTab() {
  const tab = await openTab();
  const { page } = tab;
  await page.goto("/login");
  await page.getByLabel("Email").fill(ADMIN.email);
  await page.getByLabel("Password").fill(ADMIN.password);
  await page.getByRole("button", { name: "Log in" }).click();
  await page.waitForURL(`${BASE}/`);
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Admin" }).click();
  await page.getByRole("heading", { level: 1, name: "Admin overview" }).waitFor();
  return tab;
}

describe("admin console", () => {
  it("grants credits after a confirmation, and the user's open dashboard shows them live", async () => {
    const user = await openTab();
    const { email } = await signUp(user.page, "Grace Hopper");
    await expect.poll(() => availableCredits(user.page).textContent()).toBe("100");

    const admin = await adminTab();
    const { page } = admin;
    await expect.poll(() => page.locator("svg.chart__svg").count()).toBe(5);
    await screenshot(page, "admin-overview");

    await page.getByRole("navigation", { name: "Admin" }).getByRole("link", { name: "Users" }).click();
    await page.getByLabel("Email or name").fill(email);
    const rows = page.getByTestId("admin-users").locator("tbody tr");
    await expect.poll(() => rows.count()).toBe(1);
    await rows.first().getByRole("link", { name: "Grace Hopper" }).click();
    await page.getByRole("heading", { level: 1, name: "Grace Hopper" }).waitFor();

    await page.getByLabel("Amount (negative to take back)").fill("250");
    await page.getByLabel("Reason").fill("Launch week goodwill");
    await page.getByRole("button", { name: "Grant credits…" }).click();
    // Nothing moves before the confirmation.
    expect(await availableCredits(user.page).textContent()).toBe("100");
    await page.getByRole("button", { name: "Confirm" }).click();
    await page.getByText("+250 credits applied").waitFor();
    await expect.poll(() => page.getByTestId("admin-user-balance").textContent()).toBe("350");
    await screenshot(page, "admin-user");

    // The user's dashboard was open all along: the realtime socket moves the balance.
    await expect.poll(() => availableCredits(user.page).textContent(), { timeout: 10_000 }).toBe("350");

    await page.getByRole("navigation", { name: "Admin" }).getByRole("link", { name: "Operations" }).click();
    const audit = page.getByTestId("admin-audit").locator("tbody tr", { hasText: "admin.credits" });
    await expect.poll(() => audit.count()).toBe(1);
    await screenshot(page, "admin-operations");
    await closeTab(admin);
    await closeTab(user);
  });

  it("lists orders with their user, amount and status, filters them, and re-checks one with the gateway", async () => {
    const buyer = await openTab();
    const registered = buyer.page.waitForResponse((r) => r.url().endsWith("/api/auth/register"));
    const { email } = await signUp(buyer.page, "Ada Lovelace");
    const { accessToken } = (await (await registered).json()) as { accessToken: string };
    const res = await fetch(`${BASE}/api/billing/checkout`, {
      method: "POST",
      headers: { Authorization: `Bearer ${accessToken}`, "Content-Type": "application/json", "Idempotency-Key": crypto.randomUUID() },
      body: JSON.stringify({ packageId: "popular" }),
    });
    expect(res.status).toBe(201);
    const { order, paymentUrl } = (await res.json()) as { order: { id: string }; paymentUrl: string };

    const admin = await adminTab();
    const { page } = admin;
    await page.getByRole("navigation", { name: "Admin" }).getByRole("link", { name: "Orders" }).click();
    await page.getByRole("heading", { level: 1, name: "Orders" }).waitFor();
    await page.getByLabel("Status").selectOption("pending");
    const row = page.getByTestId("admin-orders").locator(`tr[data-order="${order.id}"]`);
    await row.waitFor();
    expect(await row.locator("td").nth(0).textContent()).toBe(email);
    expect(await row.locator("td").nth(1).textContent()).toBe("Popular credit package");
    expect(await row.locator("td").nth(2).textContent()).toBe("550");
    expect(await row.locator("td").nth(3).textContent()).toMatch(/Rp\s?65\.000/);
    expect(await row.getByTestId("order-status").textContent()).toBe("Awaiting payment");

    // Nobody paid yet: the gateway says so.
    await row.getByRole("button", { name: "Re-check with gateway" }).click();
    await page.getByText(`The gateway still reports order ${order.id} as pending.`).waitFor();
    await screenshot(page, "admin-orders");

    // Paid on the gateway's page: the paid filter shows it with its payment time, and a re-check changes nothing.
    await buyer.page.goto(paymentUrl);
    await buyer.page.getByRole("button", { name: "Pay" }).click();
    await buyer.page.waitForURL(/\/credits\?order=/);
    await page.getByLabel("Status").selectOption("paid");
    await expect.poll(() => row.getByTestId("order-status").textContent()).toBe("Paid");
    expect(await row.locator("td").nth(6).textContent()).not.toBe("—");
    await row.getByRole("button", { name: "Re-check with gateway" }).click();
    await page.getByText(`The gateway still reports order ${order.id} as paid.`).waitFor();
    await page.getByLabel("Status").selectOption("pending");
    await expect.poll(() => row.count()).toBe(0);
    await closeTab(admin);
    await closeTab(buyer);
  });

  it("shows a non-admin a not-allowed page, and the API answers 403", async () => {
    const tab = await openTab();
    const { page } = tab;
    const registered = page.waitForResponse((r) => r.url().endsWith("/api/auth/register"));
    await signUp(page, "Mallory");
    const { accessToken } = (await (await registered).json()) as { accessToken: string };
    expect(await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Admin" }).count()).toBe(0);
    await page.goto("/admin");
    await page.getByTestId("admin-not-allowed").waitFor();
    expect(await page.getByRole("heading", { level: 1 }).textContent()).toBe("Not allowed");
    const res = await fetch(`${BASE}/api/admin/users`, { headers: { Authorization: `Bearer ${accessToken}` } });
    expect(res.status).toBe(403);
    await screenshot(page, "admin-not-allowed");
    await closeTab(tab);
  });
});
