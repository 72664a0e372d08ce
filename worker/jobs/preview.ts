/** The small preview every completed item gets, for progress tiles and lists. */
import { PhotonImage, SamplingFilter, resize } from "@cf-wasm/photon";
import type { ItemOutput } from "../apps/types";

const PREVIEW_MAX_SIDE = 320;

export async function previewOf(original: ItemOutput): Promise<ItemOutput> {
  const source = PhotonImage.new_from_byteslice(original.bytes);
  try {
    const scale = Math.min(1, PREVIEW_MAX_SIDE / Math.max(source.get_width(), source.get_height()));
    const width = Math.max(1, Math.round(source.get_width() * scale));
    const height = Math.max(1, Math.round(source.get_height() * scale));
    const small = resize(source, width, height, SamplingFilter.Triangle);
    try {
      return { format: "preview", bytes: small.get_bytes_webp(), contentType: "image/webp", width, height };
    } finally {
      small.free();
    }
  } finally {
    source.free();
  }
}
