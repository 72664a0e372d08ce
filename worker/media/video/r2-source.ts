/** A mediabunny input read from an R2 object by ranges: only the bytes a probe or a remux touches are fetched. */
import { ALL_FORMATS, CustomSource, Input } from "mediabunny";

/**
 * Read cache per opened clip: it bounds memory however long the clip is, and a variant may
 * hold up to 20 clips open at once (20 MiB in all).
 */
const CACHE_BYTES = 1024 * 1024;

export function r2Input(bucket: R2Bucket, key: string, size: number): Input {
  const source = new CustomSource({
    getSize: () => size,
    async read(start, end) {
      const object = await bucket.get(key, { range: { offset: start, length: end - start } });
      if (!object) throw new Error(`R2 object ${key} is gone`);
      return new Uint8Array(await object.arrayBuffer());
    },
    prefetchProfile: "network",
    maxCacheSize: CACHE_BYTES,
  });
  return new Input({ source, formats: ALL_FORMATS });
}
