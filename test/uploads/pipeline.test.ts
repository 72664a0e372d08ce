import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { sniffImage } from "../../worker/media/sniff";
import { MAX_UPLOAD_BODY_BYTES } from "../../worker/uploads/multipart";
import { errorOf } from "../support/client";
import { concat, flatGreyJpeg, jpegHeaderOnly, pngChunk, pngHeaderOnly, webpHeaderOnly, withExifOrientation } from "../support/images";
import { encodeForm, form, photoPng, send, upload, type Uploaded, uploadUrl } from "../support/uploads";

const MB = 1024 * 1024;
const text = (s: string) => new TextEncoder().encode(s);

async function stored(key: string): Promise<Uint8Array> {
  const object = await env.FILES.get(key);
  expect(object, `R2 object ${key}`).not.toBeNull();
  return new Uint8Array(await object!.arrayBuffer());
}

function includes(haystack: Uint8Array, needle: string): boolean {
  return new TextDecoder("latin1").decode(haystack).includes(needle);
}

/** A stream that hands out `bytes` in 64 KB chunks, as a slow client would. */
function chunked(bytes: Uint8Array): ReadableStream<Uint8Array> {
  let offset = 0;
  return new ReadableStream({
    pull(controller) {
      if (offset >= bytes.length) return controller.close();
      controller.enqueue(bytes.slice(offset, offset + 64 * 1024));
      offset += 64 * 1024;
    },
  });
}

async function expectError(res: Response, status: number, code: string, message?: RegExp) {
  expect(res.status).toBe(status);
  const error = await errorOf(res);
  expect(error.code).toBe(code);
  if (message) expect(error.message).toMatch(message);
  return error;
}

describe("the upload pipeline", () => {
  it("re-encodes a PNG, makes a thumbnail within 300×300 and stores both under generated names", async () => {
    const png = await photoPng(640, 400);
    const res = await upload(form(png, "../../etc/passwd.png", "image/png", { name: "Me" }));
    expect(res.status).toBe(201);
    const body = await res.json<Uploaded>();
    expect(body.fields).toEqual({ name: "Me" });
    const { image, thumbnail, source } = body.stored;
    expect(source).toEqual({ format: "png", contentType: "image/png", width: 640, height: 400 });
    expect(image).toMatchObject({ contentType: "image/png", width: 640, height: 400 });
    expect(image.key).toMatch(/^users\/u-upload\/projects\/p-upload\/avatars\/[0-9a-f-]{36}\.png$/);
    expect(thumbnail.key).toBe(image.key.replace(/\.png$/, "-thumb.jpg"));
    expect(image.key).not.toContain("passwd");

    expect(sniffImage(await stored(image.key))).toMatchObject({ format: "png", width: 640, height: 400 });
    const thumb = sniffImage(await stored(thumbnail.key));
    expect(thumb).toMatchObject({ format: "jpeg", width: 300, height: 188 });
    expect(thumbnail).toMatchObject({ width: 300, height: 188 });
  });

  it("keeps no metadata: a tEXt chunk and bytes smuggled after IEND do not survive", async () => {
    const secret = "GPS 52.3702N 4.8952E secret-marker";
    const png = await photoPng(300, 300, [pngChunk("tEXt", text(`Comment\0${secret}`))]);
    const polyglot = concat(png, text("<?php system($_GET['c']); ?>"));
    expect(includes(polyglot, "secret-marker")).toBe(true);
    const res = await upload(form(polyglot));
    expect(res.status).toBe(201);
    const { stored: s } = await res.json<Uploaded>();
    for (const key of [s.image.key, s.thumbnail.key]) {
      const bytes = await stored(key);
      expect(includes(bytes, "secret-marker")).toBe(false);
      expect(includes(bytes, "tEXt")).toBe(false);
      expect(includes(bytes, "<?php")).toBe(false);
    }
  });

  it("applies and drops EXIF: an orientation-6 JPEG is stored upright with no Exif segment", async () => {
    const jpeg = withExifOrientation(flatGreyJpeg(400, 300), 6);
    const res = await upload(form(jpeg, "camera.jpg", "image/jpeg"));
    expect(res.status).toBe(201);
    const { stored: s } = await res.json<Uploaded>();
    expect(s.source).toMatchObject({ format: "jpeg", width: 400, height: 300 });
    expect(s.image).toMatchObject({ contentType: "image/jpeg", width: 300, height: 400 });
    const bytes = await stored(s.image.key);
    expect(sniffImage(bytes)).toMatchObject({ format: "jpeg", width: 300, height: 400 });
    expect(includes(bytes, "Exif")).toBe(false);
  });

  it("trusts magic bytes only: a PNG named .jpg and sent as image/jpeg is accepted as a PNG", async () => {
    const res = await upload(form(await photoPng(300, 260), "avatar.jpg", "image/jpeg"));
    expect(res.status).toBe(201);
    const { stored: s, filename } = await res.json<Uploaded>();
    expect(filename).toBe("avatar.jpg");
    expect(s.source.format).toBe("png");
    expect(s.image.contentType).toBe("image/png");
    expect(s.image.key).toMatch(/\.png$/);
    expect(sniffImage(await stored(s.image.key)).format).toBe("png");
  });

  it("refuses what is not PNG, JPEG or WebP by its bytes, whatever its name and type say (415)", async () => {
    const gif = text("GIF89a\x01\x00\x01\x00\x80\x00\x00\xff\xff\xff\x00\x00\x00!\xf9\x04\x00\x00\x00\x00\x00,\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;");
    await expectError(await upload(form(gif, "avatar.png", "image/png")), 415, "UNSUPPORTED_MEDIA_TYPE", /PNG, JPEG or WebP/);
    const script = text("<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>");
    await expectError(await upload(form(script, "avatar.png", "image/png")), 415, "UNSUPPORTED_MEDIA_TYPE");
  });

  it("reads the sides from the header and refuses 1×1 and 10,000×10,000 before decoding (422)", async () => {
    const tiny = await expectError(await upload(form(pngHeaderOnly(1, 1))), 422, "UNPROCESSABLE", /256–4096 px.*1×1/);
    expect(tiny.details).toMatchObject({ kind: "dimensions", width: 1, height: 1 });
    // A 10,000² RGBA PNG would need 400 MB decoded; its header alone is refused.
    const flood = await expectError(await upload(form(pngHeaderOnly(10_000, 10_000))), 422, "UNPROCESSABLE", /10000×10000/);
    expect(flood.details).toMatchObject({ kind: "dimensions", width: 10_000, height: 10_000 });
    await expectError(await upload(form(jpegHeaderOnly(10_000, 10_000), "x.jpg", "image/jpeg")), 422, "UNPROCESSABLE", /10000×10000/);
    await expectError(await upload(form(webpHeaderOnly(5000, 300), "x.webp", "image/webp")), 422, "UNPROCESSABLE", /5000×300/);
  });

  it("surfaces the media module's decode budget: a WebP larger than it may decode is 413", async () => {
    const error = await expectError(await upload(form(webpHeaderOnly(2000, 2000), "big.webp", "image/webp")), 413, "PAYLOAD_TOO_LARGE", /WebP/);
    expect(error.details).toMatchObject({ kind: "too_large" });
  });

  it("refuses truncated and corrupt files (422)", async () => {
    const png = await photoPng(300, 300);
    await expectError(await upload(form(png.slice(0, Math.floor(png.length / 2)))), 422, "UNPROCESSABLE", /ends early/);
    const jpeg = flatGreyJpeg(300, 300);
    await expectError(await upload(form(jpeg.slice(0, jpeg.length - 8), "x.jpg", "image/jpeg")), 422, "UNPROCESSABLE", /ends early/);
    const garbage = crypto.getRandomValues(new Uint8Array(4096));
    const corrupt = concat(pngHeaderOnly(300, 300).subarray(0, 33), pngChunk("IDAT", garbage), pngChunk("IEND", []));
    await expectError(await upload(form(corrupt)), 422, "UNPROCESSABLE");
    await expectError(await upload(form(pngHeaderOnly(300, 300))), 422, "UNPROCESSABLE");
  });

  it("refuses a file over 10 MB (413)", async () => {
    const big = concat(await photoPng(256, 256), new Uint8Array(10 * MB));
    const res = await upload(form(big));
    await expectError(res, 413, "PAYLOAD_TOO_LARGE", /10 MB/);
  });

  it("refuses a declared Content-Length over the cap without reading the body", async () => {
    let pulled = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulled++;
        controller.enqueue(new Uint8Array(1024));
      },
    });
    const res = await send(
      new Request(uploadUrl(), {
        method: "POST",
        body,
        headers: { "Content-Type": "multipart/form-data; boundary=x", "Content-Length": String(MAX_UPLOAD_BODY_BYTES + 1) },
      }),
    );
    await expectError(res, 413, "PAYLOAD_TOO_LARGE");
    expect(pulled).toBeLessThanOrEqual(1);
  });

  it("counts the bytes as they stream: a lying Content-Length or none at all cannot get past the cap", async () => {
    const { bytes, contentType } = await encodeForm(form(concat(await photoPng(256, 256), new Uint8Array(11 * MB))));
    const lying = await send(new Request(uploadUrl(), { method: "POST", body: chunked(bytes), headers: { "Content-Type": contentType, "Content-Length": "1000" } }));
    await expectError(lying, 413, "PAYLOAD_TOO_LARGE");
    const undeclared = await send(new Request(uploadUrl(), { method: "POST", body: chunked(bytes), headers: { "Content-Type": contentType } }));
    await expectError(undeclared, 413, "PAYLOAD_TOO_LARGE");
  });

  it("accepts a streamed body without Content-Length when it fits", async () => {
    const { bytes, contentType } = await encodeForm(form(await photoPng(300, 300)));
    const res = await send(new Request(uploadUrl(), { method: "POST", body: chunked(bytes), headers: { "Content-Type": contentType } }));
    expect(res.status).toBe(201);
  });

  it("answers 415 for a body that is not multipart/form-data", async () => {
    const png = await photoPng(300, 300);
    await expectError(await upload(png, { headers: { "Content-Type": "image/png" } }), 415, "UNSUPPORTED_MEDIA_TYPE", /multipart\/form-data/);
    await expectError(await upload(JSON.stringify({ file: "x" }), { headers: { "Content-Type": "application/json" } }), 415, "UNSUPPORTED_MEDIA_TYPE");
    await expectError(await upload(new URLSearchParams({ file: "x" })), 415, "UNSUPPORTED_MEDIA_TYPE");
  });

  it("answers 400 for a missing, empty, textual or repeated file part, or a malformed form", async () => {
    const onlyName = new FormData();
    onlyName.set("name", "no file");
    await expectError(await upload(onlyName), 400, "VALIDATION_ERROR", /no "file" part/);
    const textual = new FormData();
    textual.set("file", "not a file");
    await expectError(await upload(textual), 400, "VALIDATION_ERROR", /must be a file/);
    await expectError(await upload(form(new Uint8Array(0))), 400, "VALIDATION_ERROR", /empty/);
    const twice = form(await photoPng(300, 300));
    twice.append("file", new File([await photoPng(300, 300)], "b.png"));
    await expectError(await upload(twice), 400, "VALIDATION_ERROR", /exactly one/);
    const malformed = await upload("--x\r\nthis is not a part", { headers: { "Content-Type": "multipart/form-data; boundary=x" } });
    await expectError(malformed, 400, "VALIDATION_ERROR");
  });
});
