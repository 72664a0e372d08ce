/** The streamed R2 writer: parts uploaded as they fill, the first part held back for the header written last. */
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { OUTPUT_PART_BYTES, R2StreamWriter } from "../../../worker/media/video/r2-writer";

function pattern(length: number): Uint8Array {
  const out = new Uint8Array(length);
  for (let at = 0; at < length; at += 65_536) crypto.getRandomValues(out.subarray(at, Math.min(length, at + 65_536)));
  return out;
}

async function write(writer: R2StreamWriter, chunks: { data: Uint8Array; position: number }[]) {
  const w = writer.writable.getWriter();
  for (const c of chunks) await w.write({ type: "write", data: c.data as Uint8Array<ArrayBuffer>, position: c.position });
  await w.close();
}

describe("streaming a muxer's output into R2", () => {
  it("writes a file over several parts whose header is patched last, byte for byte", async () => {
    const size = 2 * OUTPUT_PART_BYTES + 777;
    const body = pattern(size);
    const writer = new R2StreamWriter(env.FILES, "writer/multi.mp4", "video/mp4");
    const chunk = 256 * 1024 + 13;
    const chunks: { data: Uint8Array; position: number }[] = [{ data: new Uint8Array(64), position: 0 }];
    for (let at = 64; at < size; at += chunk) chunks.push({ data: body.subarray(at, Math.min(size, at + chunk)), position: at });
    // The header, as a fast-start muxer writes it at finalize.
    chunks.push({ data: body.subarray(0, 64), position: 0 });
    await write(writer, chunks);
    const written = await writer.finish();
    expect(written).toEqual({ key: "writer/multi.mp4", sizeBytes: size, parts: 3 });
    const object = await env.FILES.get("writer/multi.mp4");
    expect(object!.httpMetadata?.contentType).toBe("video/mp4");
    expect(new Uint8Array(await object!.arrayBuffer())).toEqual(body);
  });

  it("writes a small file with one put", async () => {
    const body = pattern(1000);
    const writer = new R2StreamWriter(env.FILES, "writer/small.mp4", "video/mp4");
    await write(writer, [{ data: body, position: 0 }]);
    expect(await writer.finish()).toEqual({ key: "writer/small.mp4", sizeBytes: 1000, parts: 1 });
    expect(new Uint8Array(await (await env.FILES.get("writer/small.mp4"))!.arrayBuffer())).toEqual(body);
  });

  it("refuses a write behind the first part, which streaming cannot honour, and leaves no object", async () => {
    const writer = new R2StreamWriter(env.FILES, "writer/bad.mp4", "video/mp4");
    const w = writer.writable.getWriter();
    await w.write({ type: "write", data: new Uint8Array(OUTPUT_PART_BYTES * 2 + 10), position: 0 });
    const refused = await w.write({ type: "write", data: new Uint8Array(10), position: OUTPUT_PART_BYTES + 5 }).then(
      () => null,
      (e: unknown) => e,
    );
    expect(String(refused)).toMatch(/not a streamable layout/);
    await writer.abort();
    expect(await env.FILES.head("writer/bad.mp4")).toBeNull();
  });
});
