import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { signFileUrl } from "../../worker/storage/signed-url";
import { api } from "../helpers";

const SECRET = env.FILE_URL_SECRET;
const bytes = new TextEncoder().encode("0123456789abcdefghij");

async function stored(key: string) {
  await env.FILES.put(key, bytes, { httpMetadata: { contentType: "image/png" } });
  return key;
}

describe("signed file URLs", () => {
  it("serves the bytes with ETag, Cache-Control and Range", async () => {
    const key = await stored(`users/u1/projects/p1/generations/g1/item-0/original.png`);
    const url = await signFileUrl(SECRET, key);
    const full = await api(url);
    expect(full.status).toBe(200);
    expect(full.headers.get("Content-Type")).toBe("image/png");
    expect(full.headers.get("Cache-Control")).toMatch(/^private, max-age=\d+/);
    const etag = full.headers.get("ETag")!;
    expect(new Uint8Array(await full.arrayBuffer())).toEqual(bytes);

    const partial = await api(url, { headers: { Range: "bytes=2-5" } });
    expect(partial.status).toBe(206);
    expect(partial.headers.get("Content-Range")).toBe(`bytes 2-5/${bytes.length}`);
    expect(new TextDecoder().decode(await partial.arrayBuffer())).toBe("2345");

    const suffix = await api(url, { headers: { Range: "bytes=-3" } });
    expect(suffix.status).toBe(206);
    expect(new TextDecoder().decode(await suffix.arrayBuffer())).toBe("hij");

    const cached = await api(url, { headers: { "If-None-Match": etag } });
    expect(cached.status).toBe(304);
  });

  it("refuses an expired link, a tampered signature and a signature moved to another key", async () => {
    const mine = await stored(`users/u2/projects/p/generations/g/item-0/original.png`);
    const theirs = await stored(`users/u3/projects/p/generations/g/item-0/original.png`);
    const expired = await signFileUrl(SECRET, mine, 60, Date.now() - 3_600_000);
    expect((await api(expired)).status).toBe(403);

    const good = await signFileUrl(SECRET, mine);
    const tampered = good.replace(/sig=([\w-])/, (_m, ch: string) => `sig=${ch === "A" ? "B" : "A"}`);
    expect((await api(tampered)).status).toBe(403);

    const moved = good.replace("users/u2/", "users/u3/");
    const res = await api(moved);
    expect(res.status).toBe(403);
    expect(new TextDecoder().decode(await res.arrayBuffer())).not.toContain("0123456789");
    expect(theirs).toBeTruthy();

    const forgedWithOtherKey = await signFileUrl("another-secret-0123456789-abcdefghijkl", theirs);
    expect((await api(forgedWithOtherKey)).status).toBe(403);
    expect((await api(`/api/files/${theirs}`)).status).toBe(400);
  });

  it("answers 404 for a signed key that does not exist", async () => {
    expect((await api(await signFileUrl(SECRET, "users/u4/nothing.png"))).status).toBe(404);
  });
});
