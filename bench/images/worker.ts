/**
 * The benchmark's Worker: holds uploaded test images in memory and runs one image operation
 * per request, so the runner can time each run from outside (workerd's clock does not
 * advance during synchronous work).
 */
import { PhotonImage, SamplingFilter, initPhoton, resize } from "@cf-wasm/photon";
import { fitInside } from "../../worker/media/resize";
import { thumbnail } from "../../worker/media/transform";

const images = new Map<string, Uint8Array>();

/** The approach this project replaced: photon decodes at full size and resizes in wasm. */
function photonThumbnail(bytes: Uint8Array, maxSide: number): Uint8Array {
  const input = PhotonImage.new_from_byteslice(bytes);
  try {
    const size = fitInside(input.get_width(), input.get_height(), maxSide, maxSide);
    const output = resize(input, size.width, size.height, SamplingFilter.Lanczos3);
    try {
      return output.get_bytes_jpeg(80);
    } finally {
      output.free();
    }
  } finally {
    input.free();
  }
}

export default {
  async fetch(request: Request): Promise<Response> {
    const url = new URL(request.url);
    if (url.pathname === "/health") return new Response("ok");
    const name = url.searchParams.get("image") ?? "";
    if (request.method === "PUT") {
      images.set(name, new Uint8Array(await request.arrayBuffer()));
      return Response.json({ stored: name });
    }
    const bytes = images.get(name);
    if (!bytes) return Response.json({ error: `no image ${name}` }, { status: 404 });
    const maxSide = Number(url.searchParams.get("maxSide") ?? 300);
    const op = url.searchParams.get("op");
    let output: Uint8Array;
    try {
      if (op === "ours") output = (await thumbnail(bytes, { maxSide, format: "jpeg", quality: 80 })).bytes;
      else if (op === "photon") output = photonThumbnail(bytes, maxSide);
      else return Response.json({ error: `unknown op ${op}` }, { status: 400 });
    } catch (error) {
      return Response.json({ error: error instanceof Error ? error.message : String(error) }, { status: 500 });
    }
    const wasm = await initPhoton.ensure();
    return Response.json({ outputBytes: output.length, wasmBytes: wasm.memory.buffer.byteLength });
  },
} satisfies ExportedHandler;
