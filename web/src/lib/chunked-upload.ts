/**
 * Sends a file in fixed-size parts, one at a time, and retries a part that failed in
 * transit (offline, 5xx, 429) on its own, with backoff; a refusal (4xx) ends the upload.
 * Progress counts the bytes of parts the server has confirmed.
 */
import { ApiError } from "./api";

export interface PartPlan {
  partSize: number;
  parts: number;
}

export interface UploadProgress {
  sentBytes: number;
  totalBytes: number;
  part: number;
  parts: number;
  /** Parts sent again after a failure, over the whole upload. */
  retries: number;
}

const MAX_ATTEMPTS_PER_PART = 5;
const BACKOFF_MS = [500, 1000, 2000, 4000];

const isTransient = (e: unknown) => e instanceof ApiError && (e.status === 0 || e.status === 429 || e.status >= 500);

export async function uploadInParts(file: Blob, plan: PartPlan, sendPart: (n: number, part: Blob) => Promise<void>, onProgress: (p: UploadProgress) => void): Promise<void> {
  let sentBytes = 0;
  let retries = 0;
  onProgress({ sentBytes, totalBytes: file.size, part: 0, parts: plan.parts, retries });
  for (let n = 1; n <= plan.parts; n++) {
    const part = file.slice((n - 1) * plan.partSize, n * plan.partSize);
    for (let attempt = 1; ; attempt++) {
      try {
        await sendPart(n, part);
        break;
      } catch (e) {
        if (!isTransient(e) || attempt >= MAX_ATTEMPTS_PER_PART) throw e;
        retries++;
        onProgress({ sentBytes, totalBytes: file.size, part: n, parts: plan.parts, retries });
        await new Promise((r) => setTimeout(r, BACKOFF_MS[attempt - 1] ?? 4000));
      }
    }
    sentBytes += part.size;
    onProgress({ sentBytes, totalBytes: file.size, part: n, parts: plan.parts, retries });
  }
}
