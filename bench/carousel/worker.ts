/**
 * The carousel benchmark's Worker: holds one uploaded photo in memory and renders one slide
 * per request with the app's own renderer, so the runner can time each run from outside
 * (workerd's clock does not advance during synchronous work).
 */
import { initPhoton } from "@cf-wasm/photon";
import takumiWasm from "@takumi-rs/wasm/auto";
import initTakumi from "@takumi-rs/wasm";
import type { Aspect } from "../../worker/apps/carousel-mix/render/aspects";
import { renderSlide } from "../../worker/apps/carousel-mix/render/slide";
import { TextStyle } from "../../worker/apps/carousel-mix/schema";

let photo: Uint8Array | null = null;

export default {
  async fetch(request: Request): Promise<Response> {
    const url = new URL(request.url);
    if (url.pathname === "/health") return new Response("ok");
    if (request.method === "PUT") {
      photo = new Uint8Array(await request.arrayBuffer());
      return Response.json({ stored: photo.length });
    }
    if (!photo) return Response.json({ error: "no photo yet" }, { status: 404 });
    const aspect = (url.searchParams.get("aspect") ?? "4:5") as Aspect;
    const caption = url.searchParams.get("caption");
    let bytes: number;
    try {
      bytes = (await renderSlide(photo, caption, TextStyle.parse({ size: 64, position: "bottom", box: true }), aspect)).bytes.length;
    } catch (error) {
      return Response.json({ error: error instanceof Error ? error.message : String(error) }, { status: 500 });
    }
    // Both already initialised by the render: these return the live instances.
    const takumi = await initTakumi({ module_or_path: takumiWasm });
    const photon = await initPhoton.ensure();
    return Response.json({ outputBytes: bytes, takumiWasmBytes: takumi.memory.buffer.byteLength, photonWasmBytes: photon.memory.buffer.byteLength });
  },
} satisfies ExportedHandler;
