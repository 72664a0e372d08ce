/**
 * Every page through axe-core at desktop and phone width: no serious or critical violation.
 * One signed-in context per role serves all of that role's pages; a new page is one row in ROUTES.
 */
import { AxeBuilder } from "@axe-core/playwright";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BASE, DESKTOP, PHONE, closeTab, openTab, signUp, type Tab, useBrowser } from "./browser";

useBrowser();

type Role = "visitor" | "user" | "admin";

/** What the pages need that only exists once the user has done something: made by setUp(). */
interface Fixtures {
  userId: string;
  generationId: string;
  orderId: string;
  paymentUrl: string;
}

interface Route {
  name: string;
  role: Role;
  path: (f: Fixtures) => string;
  /** The page's main heading: it is there once the page, not the splash, is showing. */
  heading: string | ((f: Fixtures) => string);
}

const ROUTES: Route[] = [
  { name: "login", role: "visitor", path: () => "/login", heading: "Log in to Lumiku" },
  { name: "signup", role: "visitor", path: () => "/signup", heading: "Create your account" },
  { name: "not found", role: "visitor", path: () => "/no-such-page", heading: "Page not found" },
  { name: "dashboard", role: "user", path: () => "/", heading: "Dashboard" },
  { name: "avatar creator", role: "user", path: () => "/apps/avatar-creator", heading: "Avatar Creator" },
  { name: "pose generator", role: "user", path: () => "/apps/pose-generator", heading: "Pose Generator" },
  { name: "carousel mix", role: "user", path: () => "/apps/carousel-mix", heading: "Carousel Mix" },
  { name: "looping flow", role: "user", path: () => "/apps/looping-flow", heading: "Looping Flow" },
  { name: "video mixer", role: "user", path: () => "/apps/video-mixer", heading: "Video Mixer" },
  { name: "a generation", role: "user", path: (f) => `/generations/${f.generationId}`, heading: "Generation" },
  { name: "credits", role: "user", path: () => "/credits", heading: "Credits" },
  { name: "credits with an order", role: "user", path: (f) => `/credits?order=${f.orderId}`, heading: "Credits" },
  { name: "sandbox payment page", role: "user", path: (f) => new URL(f.paymentUrl).pathname, heading: "Starter credit package" },
  { name: "sessions", role: "user", path: () => "/sessions", heading: "Sessions" },
  { name: "settings", role: "user", path: () => "/settings", heading: "Settings" },
  { name: "gallery", role: "user", path: () => "/gallery", heading: "Gallery" },
  { name: "admin overview", role: "admin", path: () => "/admin", heading: "Admin overview" },
  { name: "admin users", role: "admin", path: () => "/admin/users", heading: "Users" },
  { name: "admin user detail", role: "admin", path: (f) => `/admin/users/${f.userId}`, heading: "Ada Lovelace" },
  { name: "admin generations", role: "admin", path: () => "/admin/generations", heading: "Generations" },
  { name: "admin operations", role: "admin", path: () => "/admin/operations", heading: "Operations" },
];

const ADMIN = { email: process.env.E2E_ADMIN_EMAIL ?? "", password: process.env.E2E_ADMIN_PASSWORD ?? "" };

async function post<T>(token: string, path: string, body: unknown): Promise<T> {
  const res = await fetch(`${BASE}${path}`, {
    method: "POST",
    headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json", "Idempotency-Key": crypto.randomUUID() },
    body: JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`POST ${path}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

const tabs = new Map<Role, Tab>();
let fixtures: Fixtures;

/** Signs the user up (with a generation and an open order) and the admin in, once for the file. */
async function setUp(): Promise<void> {
  tabs.set("visitor", await openTab());
  const user = await openTab();
  const registered = user.page.waitForResponse((r) => r.url().endsWith("/api/auth/register"));
  await signUp(user.page);
  const { accessToken, user: me } = (await (await registered).json()) as { accessToken: string; user: { id: string } };
  tabs.set("user", user);
  const project = await post<{ id: string }>(accessToken, "/api/projects", { appId: "pose-generator", name: "Checks" });
  const { generation } = await post<{ generation: { id: string } }>(accessToken, "/api/apps/pose-generator/generations", {
    projectId: project.id,
    generationType: "TEXT_DESCRIPTION",
    textPrompt: "standing with arms crossed",
  });
  const order = await post<{ order: { id: string }; paymentUrl: string }>(accessToken, "/api/billing/checkout", { packageId: "starter" });
  fixtures = { userId: me.id, generationId: generation.id, orderId: order.order.id, paymentUrl: order.paymentUrl };

  const admin = await openTab();
  await admin.page.goto("/login");
  await admin.page.getByLabel("Email").fill(ADMIN.email);
  await admin.page.getByLabel("Password").fill(ADMIN.password);
  await admin.page.getByRole("button", { name: "Log in" }).click();
  await admin.page.waitForURL(`${BASE}/`);
  tabs.set("admin", admin);
}

/** Serious and critical violations at the current width, one line each with where they are. */
async function violations(page: Page, label: string): Promise<string[]> {
  const { violations } = await new AxeBuilder({ page }).analyze();
  return violations.filter((v) => v.impact === "serious" || v.impact === "critical").map((v) => `${label}: ${v.id} (${v.impact}) ${v.help} at ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
}

describe("accessibility (axe-core, serious and critical)", () => {
  beforeAll(setUp, 90_000);
  afterAll(async () => {
    for (const tab of tabs.values()) await closeTab(tab);
  });

  for (const route of ROUTES) {
    it(`${route.name} (${route.role})`, async () => {
      const { page } = tabs.get(route.role)!;
      await page.setViewportSize(DESKTOP);
      await page.goto(route.path(fixtures));
      const heading = typeof route.heading === "string" ? route.heading : route.heading(fixtures);
      await page.getByRole("heading", { level: 1, name: heading }).waitFor();
      await expect.poll(() => page.locator('[aria-busy="true"]').count()).toBe(0);
      const found = await violations(page, `${route.name} at ${DESKTOP.width}px`);
      await page.setViewportSize(PHONE);
      found.push(...(await violations(page, `${route.name} at ${PHONE.width}px`)));
      expect(found).toEqual([]);
    });
  }
});
