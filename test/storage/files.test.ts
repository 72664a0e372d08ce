import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { signFileUrl } from "../../worker/storage/signed-url";
import { api, expectErrorShape } from "../support/client";

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

    const forgedWithOtherKey = await signFileUrl("another-secret-0123456789-abcdefghijkl", theirs);
    expect((await api(forgedWithOtherKey)).status).toBe(403);
    expect((await api(`/api/files/${theirs}`)).status).toBe(400);
  });

  it("answers 404 for a signed key that does not exist", async () => {
    expect((await api(await signFileUrl(SECRET, "users/u4/nothing.png"))).status).toBe(404);
  });

  it("answers 412 when If-Match or If-Unmodified-Since names another version, before looking at Range", async () => {
    const url = await signFileUrl(SECRET, await stored("users/u5/projects/p/generations/g/item-0/original.png"));
    const etag = (await api(url)).headers.get("ETag")!;

    const mismatch = await api(url, { headers: { "If-Match": '"another-version"' } });
    expect(mismatch.status).toBe(412);
    await expectErrorShape(mismatch, "PRECONDITION_FAILED");
    expect((await api(url, { headers: { "If-Match": `W/${etag}` } })).status).toBe(412);
    expect((await api(url, { headers: { "If-Match": '"another-version"', Range: "bytes=-0" } })).status).toBe(412);
    expect((await api(url, { headers: { "If-Unmodified-Since": new Date(Date.now() - 86_400_000).toUTCString() } })).status).toBe(412);

    expect((await api(url, { headers: { "If-Match": etag } })).status).toBe(200);
    expect((await api(url, { headers: { "If-Match": `"another-version", ${etag}` } })).status).toBe(200);
    expect((await api(url, { headers: { "If-Match": "*" } })).status).toBe(200);
    expect((await api(url, { headers: { "If-Match": etag, Range: "bytes=0-1" } })).status).toBe(206);
    expect((await api(url, { headers: { "If-None-Match": etag } })).status).toBe(304);
  });

  it("answers an unsatisfiable Range with 416 and the size; ignores a Range it cannot parse", async () => {
    const url = await signFileUrl(SECRET, await stored("users/u6/projects/p/generations/g/item-0/original.png"));
    for (const range of ["bytes=-0", `bytes=${bytes.length}-`, "bytes=100-200", "bytes=99999999999999999999-"]) {
      const res = await api(url, { headers: { Range: range } });
      expect(res.status, range).toBe(416);
      expect(res.headers.get("Content-Range"), range).toBe(`bytes */${bytes.length}`);
      await expectErrorShape(res, "RANGE_NOT_SATISFIABLE");
    }
    const tail = await api(url, { headers: { Range: `bytes=${bytes.length - 1}-100` } });
    expect(tail.status).toBe(206);
    expect(tail.headers.get("Content-Range")).toBe(`bytes ${bytes.length - 1}-${bytes.length - 1}/${bytes.length}`);
    expect(await tail.text()).toBe("j");
    for (const range of ["bytes=5-2", "items=0-1", "bytes=0-1,3-4", "bytes=x-"]) {
      const res = await api(url, { headers: { Range: range } });
      expect(res.status, range).toBe(200);
      expect(new Uint8Array(await res.arrayBuffer())).toEqual(bytes);
    }
    const unchanged = await api(url, { headers: { Range: "bytes=-0", "If-None-Match": (await api(url)).headers.get("ETag")! } });
    expect(unchanged.status).toBe(304);
  });
});
