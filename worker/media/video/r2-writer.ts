/**
 * Streams a muxer's output into one R2 object with bounded memory. A fast-start MP4 is
 * written front to back except for its header (the moov in reserved space, the mdat size),
 * which the muxer fills in last: so the first part stays in memory until the end and every
 * later part is uploaded as soon as it is full. At most two parts are held at once.
 */
import type { StreamTargetChunk } from "mediabunny";

/** R2's smallest part (every part but the last has this one size). */
export const OUTPUT_PART_BYTES = 5 * 1024 * 1024;

export interface WrittenObject {
  key: string;
  sizeBytes: number;
  parts: number;
}

export class R2StreamWriter {
  readonly writable: WritableStream<StreamTargetChunk>;
  private readonly head: Uint8Array;
  private headLength = 0;
  private tail: Uint8Array;
  private tailLength = 0;
  /** Bytes of the file already uploaded as parts 2, 3, … (they start at partBytes). */
  private uploaded = 0;
  private upload: R2MultipartUpload | null = null;
  private readonly parts: R2UploadedPart[] = [];

  constructor(
    private readonly bucket: R2Bucket,
    private readonly key: string,
    private readonly contentType: string,
    private readonly partBytes = OUTPUT_PART_BYTES,
  ) {
    this.head = new Uint8Array(partBytes);
    this.tail = new Uint8Array(partBytes);
    this.writable = new WritableStream<StreamTargetChunk>({ write: (chunk) => this.write(chunk.data, chunk.position) });
  }

  private async write(data: Uint8Array, position: number): Promise<void> {
    if (position < this.partBytes) {
      const inHead = Math.min(data.byteLength, this.partBytes - position);
      this.head.set(data.subarray(0, inHead), position);
      this.headLength = Math.max(this.headLength, position + inHead);
      if (inHead === data.byteLength) return;
      data = data.subarray(inHead);
      position = this.partBytes;
    }
    const end = this.partBytes + this.uploaded + this.tailLength;
    if (position !== end) throw new Error(`muxer wrote at ${position} past the first part, expected ${end}: not a streamable layout`);
    while (data.byteLength > 0) {
      const n = Math.min(data.byteLength, this.partBytes - this.tailLength);
      this.tail.set(data.subarray(0, n), this.tailLength);
      this.tailLength += n;
      data = data.subarray(n);
      if (this.tailLength === this.partBytes) await this.flushTail();
    }
  }

  private async flushTail(): Promise<void> {
    this.upload ??= await this.bucket.createMultipartUpload(this.key, { httpMetadata: { contentType: this.contentType } });
    // Part 1 is the head, sent at the end; the tail's parts are 2, 3, …
    this.parts.push(await this.upload.uploadPart(this.parts.length + 2, this.tail.slice(0, this.tailLength)));
    this.uploaded += this.tailLength;
    this.tailLength = 0;
  }

  /** Call after the muxer finalized: uploads what is left and makes the object. */
  async finish(): Promise<WrittenObject> {
    if (!this.upload && this.tailLength === 0) {
      await this.bucket.put(this.key, this.head.subarray(0, this.headLength), { httpMetadata: { contentType: this.contentType } });
      return { key: this.key, sizeBytes: this.headLength, parts: 1 };
    }
    if (this.headLength !== this.partBytes) throw new Error("the first part is not full: the muxer left a gap");
    if (this.tailLength > 0) await this.flushTail();
    const upload = this.upload!;
    const first = await upload.uploadPart(1, this.head);
    await upload.complete([first, ...this.parts]);
    return { key: this.key, sizeBytes: this.partBytes + this.uploaded, parts: this.parts.length + 1 };
  }

  /** Gives up an unfinished upload, so no orphan parts stay behind. */
  async abort(): Promise<void> {
    await this.upload?.abort().catch(() => undefined);
  }
}
