/**
 * The text renderer (takumi, MIT/Apache-2.0) in this isolate: its wasm is a bundled module,
 * instantiated on first use (never at import time) and shared by every render after that,
 * with the bundled fonts registered once.
 */
import takumiWasm from "@takumi-rs/wasm/auto";
import initTakumi, { Renderer } from "@takumi-rs/wasm";
import { FONTS } from "./fonts";

let ready: Promise<Renderer> | undefined;

async function start(): Promise<Renderer> {
  await initTakumi({ module_or_path: takumiWasm });
  const renderer = new Renderer();
  for (const font of FONTS) {
    for (const file of font.files) await renderer.registerFont({ name: file.family, data: file.data, weight: 700, style: "normal" });
  }
  return renderer;
}

export function renderer(): Promise<Renderer> {
  ready ??= start().catch((e: unknown) => {
    ready = undefined;
    throw e;
  });
  return ready;
}
