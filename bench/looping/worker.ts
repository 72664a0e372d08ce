/**
 * The looping benchmark's Worker: one case per request, so the runner can read workerd's CPU
 * time around it from outside (workerd's clock does not advance during synchronous work).
 *   /draw    draws the frames only (the baseline the encode cases subtract)
 *   /encode  draws and encodes every frame into one animated WebP, as the app does
 *   /render  the app's whole render (stage, effect, frames, poster) on a generated still
 */
import { initPhoton } from "@cf-wasm/photon";
import { renderLoop } from "../../worker/apps/looping-flow/render";
import type { EffectName } from "../../worker/apps/looping-flow/effects";
import { AnimatedWebpWriter } from "../../worker/media/webp/container";
import { encodeWebpFrame, webpEncoderMemoryBytes } from "../../worker/media/webp/encoder";
// @ts-expect-error plain JavaScript shared with the Node side
import { drawFrame, durations, still } from "./frames.mjs";

interface Image {
  width: number;
  height: number;
  data: Uint8Array;
}

const sources = new Map<number, Image>();
/** A still a little larger than the frame, so the pan never leaves it. */
const sourceFor = (size: number): Image => {
  let source = sources.get(size);
  if (!source) {
    source = still(size + 2 * Math.ceil(size * 0.05)) as Image;
    sources.set(size, source);
  }
  return source;
};

export default {
  async fetch(request: Request): Promise<Response> {
    const url = new URL(request.url);
    if (url.pathname === "/health") return new Response("ok");
    const size = Number(url.searchParams.get("size") ?? 512);
    const frames = Number(url.searchParams.get("frames") ?? 24);
    const quality = Number(url.searchParams.get("quality") ?? 80);
    const method = Number(url.searchParams.get("method") ?? 1);
    const source = sourceFor(size);
    const frame = { width: size, height: size, data: new Uint8Array(size * size * 4) };
    if (url.pathname === "/draw") {
      for (let i = 0; i < frames; i++) drawFrame(source, size, i, frames, frame.data);
      return Response.json({ frames });
    }
    if (url.pathname === "/encode") {
      const writer = new AnimatedWebpWriter(size, size);
      const times = durations(frames, Math.round((frames * 1000) / 24)) as number[];
      for (let i = 0; i < frames; i++) {
        drawFrame(source, size, i, frames, frame.data);
        writer.addFrame(await encodeWebpFrame(frame, { quality, method }), times[i]!);
      }
      const encoded = writer.byteLength;
      const bytes = writer.finish();
      const held = source.data.byteLength + frame.data.byteLength + encoded + bytes.byteLength;
      return Response.json({ outputBytes: bytes.byteLength, heldBytes: held, wasmBytes: await webpEncoderMemoryBytes() });
    }
    if (url.pathname === "/render") {
      const effect = (url.searchParams.get("effect") ?? "parallax") as EffectName;
      const { animation, stats } = await renderLoop(source, { effect, size, frames, durationMs: Math.round((frames * 1000) / 24), intensity: 1 });
      const photon = (await initPhoton.ensure()).memory.buffer.byteLength;
      return Response.json({ outputBytes: animation.bytes.byteLength, heldBytes: stats.peakHeldBytes + source.data.byteLength, wasmBytes: stats.encoderWasmBytes + photon });
    }
    return Response.json({ error: `unknown case ${url.pathname}` }, { status: 404 });
  },
} satisfies ExportedHandler;
