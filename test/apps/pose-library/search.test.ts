import { env } from "cloudflare:test";
import { beforeAll, describe, expect, it } from "vitest";
import { CATEGORY_IDS, POSES } from "../../../worker/apps/pose-generator/library/catalog";
import { errorOf, register } from "../../support/client";
import { library, listAll, listPage } from "../../support/pose-library";

let token: string;
beforeAll(async () => {
  token = (await register()).token;
});

/** What a literal, ASCII-case-insensitive substring search over names and tags should find. */
const literally = (text: string) => {
  const needle = text.trim().toLowerCase();
  return POSES.filter((p) => p.name.toLowerCase().includes(needle) || p.tags.some((t) => t.toLowerCase().includes(needle))).map((p) => p.id);
};

const search = async (text: string, extra: Record<string, string> = {}) => (await listAll({ search: text, limit: "100", ...extra }, token)).map((p) => p.id);

describe("pose library search", () => {
  it("finds poses by name or tag, ignoring case", async () => {
    expect(await search("lunge")).toEqual(["fitness-runners-lunge"]);
    const yoga = await search("YOGA");
    expect(yoga.length).toBeGreaterThan(3);
    expect(yoga).toEqual(literally("yoga"));
    expect(await search("  Moonwalk  ")).toEqual([]);
    expect(await search("jeté")).toEqual(["dance-grand-jete"]);
  });

  it("treats % as a percent sign, not a wildcard", async () => {
    expect(await search("%")).toEqual(["fashion-power-stance"]);
    expect(await search("100%")).toEqual(["fashion-power-stance"]);
    expect(literally("st%ing")).toEqual([]);
    expect(await search("st%ing")).toEqual([]);
    expect(await search("%%")).toEqual([]);
  });

  it("treats _ as an underscore, never as any single character", async () => {
    expect(await search("hero")).toEqual(["action-heros-landing"]);
    expect(await search("h_ro")).toEqual([]);
    expect(await search("_")).toEqual([]);
    expect(await search("sta_ding")).toEqual([]);
  });

  it("searches quotes literally and only inside tag values, not the stored JSON", async () => {
    const apostrophes = await search("'");
    expect(apostrophes).toEqual(literally("'"));
    expect(apostrophes).toContain("action-heros-landing");
    expect(await search("hero's")).toEqual(["action-heros-landing"]);
    expect(await search('"')).toEqual([]);
    expect(await search('","')).toEqual([]);
    expect(await search("'; DROP TABLE poses; --")).toEqual([]);
    const left = await env.DB.prepare("SELECT count(*) AS n FROM poses").first<{ n: number }>();
    expect(left?.n).toBe(POSES.length);
  });

  it("treats a backslash as a backslash, escape sequences included", async () => {
    for (const text of ["\\", "\\%", "\\_", "hero\\", "\\'"]) expect(await search(text), text).toEqual([]);
  });

  it("takes 1 to 100 characters after trimming and refuses anything else with 400", async () => {
    expect(await search("a".repeat(100))).toEqual([]);
    expect(await search(` ${"a".repeat(100)} `)).toEqual([]);
    for (const text of ["a".repeat(101), "", "   "]) {
      const res = await library(`/library?${new URLSearchParams({ search: text })}`, token);
      expect(res.status, JSON.stringify(text)).toBe(400);
      expect((await errorOf(res)).code).toBe("VALIDATION_ERROR");
    }
  });

  it("filters by category, alone and with a search", async () => {
    const dance = await listAll({ category: "dance", limit: "100" }, token);
    expect(dance.map((p) => p.id)).toEqual(POSES.filter((p) => p.category === "dance").map((p) => p.id));
    expect(await search("ballet", { category: "dance" })).toEqual(POSES.filter((p) => p.category === "dance" && p.tags.includes("ballet")).map((p) => p.id));
    expect(await search("ballet", { category: "action" })).toEqual([]);
  });

  it("refuses an unknown category with 400", async () => {
    for (const category of ["swimming", "Dance", "", "dance%"]) {
      const res = await library(`/library?${new URLSearchParams({ category })}`, token);
      expect(res.status, category).toBe(400);
    }
  });

  it("counts every category in one listing that matches the catalog", async () => {
    const res = await library("/library/categories", token);
    expect(res.status).toBe(200);
    const { categories } = await res.json<{ categories: Array<{ id: string; name: string; count: number }> }>();
    expect(categories.map((c) => c.id)).toEqual([...CATEGORY_IDS]);
    for (const c of categories) {
      expect(c.count, c.id).toBe(POSES.filter((p) => p.category === c.id).length);
      expect(c.name.length).toBeGreaterThan(0);
    }
    expect(categories.filter((c) => c.count > 0).length).toBeGreaterThanOrEqual(6);
    expect(categories.reduce((sum, c) => sum + c.count, 0)).toBe(POSES.length);
  });
});

describe("pose library pagination", () => {
  it("walks every pose once, in catalog order, without repeats or gaps", async () => {
    const first = await listPage({}, token);
    expect(first.items).toHaveLength(20);
    expect(first.nextCursor).toEqual(expect.any(String));
    const all = await listAll({ limit: "7" }, token);
    expect(all.map((p) => p.id)).toEqual(POSES.map((p) => p.id));
  });

  it("keeps filters across pages", async () => {
    const pages = await listAll({ search: "e", category: "fitness", limit: "3" }, token);
    expect(pages.map((p) => p.id)).toEqual(
      POSES.filter((p) => p.category === "fitness")
        .map((p) => p.id)
        .filter((id) => literally("e").includes(id)),
    );
  });

  it("ends with a null cursor on the last page", async () => {
    const page = await listPage({ limit: "100" }, token);
    expect(page.items).toHaveLength(POSES.length);
    expect(page.nextCursor).toBeNull();
  });

  it("refuses a forged cursor and out-of-range limits with 400", async () => {
    for (const q of ["cursor=not-a-cursor", `cursor=${btoa("[1]")}`, "limit=0", "limit=101", "limit=abc"]) {
      expect((await library(`/library?${q}`, token)).status, q).toBe(400);
    }
  });
});
