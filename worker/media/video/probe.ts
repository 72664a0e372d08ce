/**
 * Checks a stored clip without decoding: container, codecs, profile, size, frame rate,
 * duration and key-frame times, all from the MP4's sample tables and decoder configuration.
 * A clip we cannot mix is refused with a sentence saying what to change.
 */
import { EncodedPacketSink, type Input, type InputVideoTrack, MP4 } from "mediabunny";
import { toHex } from "../../core/digest";
import { type ClipFormat, formatKey } from "./format";
import { r2Input } from "./r2-source";

export const CLIP_LIMITS = { maxBytes: 200 * 1024 * 1024, maxDurationMs: 120_000, minSide: 16, maxSide: 3840 } as const;

/** profile_idc of the 8-bit 4:2:0 H.264 profiles every browser plays. */
const PROFILES: Record<number, string> = { 66: "Baseline", 77: "Main", 88: "Extended", 100: "High" };

export interface ClipInfo {
  durationMs: number;
  width: number;
  height: number;
  fps: number;
  codec: string;
  profile: string;
  keyframesMs: number[];
  format: ClipFormat;
  formatKey: string;
}

export type ProbeResult = { ok: true; info: ClipInfo } | { ok: false; reason: string };

const refuse = (reason: string): ProbeResult => ({ ok: false, reason });

const descriptionHex = (d: ArrayBufferLike | ArrayBufferView | undefined) =>
  d === undefined ? "" : toHex(ArrayBuffer.isView(d) ? new Uint8Array(d.buffer, d.byteOffset, d.byteLength) : new Uint8Array(d));

const isMp4 = (head: Uint8Array) => head.byteLength >= 8 && String.fromCharCode(...head.subarray(4, 8)) === "ftyp";

export async function probeClip(bucket: R2Bucket, key: string, size: number): Promise<ProbeResult> {
  const head = await bucket.get(key, { range: { offset: 0, length: 8 } });
  if (!head) throw new Error(`clip object ${key} is missing`);
  if (!isMp4(new Uint8Array(await head.arrayBuffer()))) return refuse("This is not an MP4 file; export the clip as MP4 (H.264 video, AAC audio)");
  const input = r2Input(bucket, key, size);
  try {
    return await probeInput(input);
  } catch (e) {
    return refuse(`The MP4 could not be read (${e instanceof Error ? e.message : String(e)}); export it again as MP4 (H.264, AAC)`);
  } finally {
    input.dispose();
  }
}

async function probeInput(input: Input): Promise<ProbeResult> {
  if ((await input.getFormat()) !== MP4) return refuse("This is not an MP4 file; export the clip as MP4 (H.264 video, AAC audio)");
  const video = await input.getPrimaryVideoTrack();
  if (!video) return refuse("The file has no video track; upload a video clip");
  const codec = await video.getCodec();
  if (codec !== "avc") return refuse(`The video is ${codec ? codec.toUpperCase() : "in an unknown codec"}, not H.264; export it as H.264 (AVC) in an MP4`);
  const config = await video.getDecoderConfig();
  if (!config) return refuse("The H.264 track has no decoder configuration; export the clip again as MP4");
  const profileIdc = parseInt(config.codec.slice(5, 7), 16);
  const profile = PROFILES[profileIdc];
  if (!profile) return refuse(`The H.264 profile (profile_idc ${profileIdc}) is not 8-bit 4:2:0; export with the High, Main or Baseline profile`);

  const [width, height, rotation] = await Promise.all([video.getCodedWidth(), video.getCodedHeight(), video.getRotation()]);
  const { minSide, maxSide, maxDurationMs } = CLIP_LIMITS;
  if (Math.min(width, height) < minSide || Math.max(width, height) > maxSide) {
    return refuse(`The video is ${width}×${height}; use ${minSide}–${maxSide} pixels on each side`);
  }
  const durationMs = Math.round((await input.computeDuration([video])) * 1000);
  if (durationMs > maxDurationMs) return refuse(`The clip is ${(durationMs / 1000).toFixed(1)} s long; trim it to ${maxDurationMs / 1000} s or less`);
  if (durationMs <= 0) return refuse("The clip has no frames; upload a clip with video in it");
  const fps = Math.round((await video.computeFrameRateMetrics()).bestGuessFrameRate * 1000) / 1000;

  const keyframesMs = await keyframeTimes(video);
  if (keyframesMs.length === 0) return refuse("The clip has no key frames; export it again as H.264");

  const audioTrack = await input.getPrimaryAudioTrack();
  let audio: ClipFormat["audio"] = null;
  if (audioTrack) {
    const audioCodec = await audioTrack.getCodec();
    const audioConfig = await audioTrack.getDecoderConfig();
    if (audioCodec !== "aac" || !audioConfig) return refuse(`The audio is ${audioCodec ? audioCodec.toUpperCase() : "in an unknown codec"}; use AAC audio or remove the audio track`);
    audio = { codec: audioConfig.codec, sampleRate: audioConfig.sampleRate, channels: audioConfig.numberOfChannels, decoderDescription: descriptionHex(audioConfig.description) };
  }

  const format: ClipFormat = { codec: config.codec, width, height, fps, rotation, decoderDescription: descriptionHex(config.description), audio };
  return { ok: true, info: { durationMs, width, height, fps, codec: config.codec, profile, keyframesMs, format, formatKey: await formatKey(format) } };
}

/** Key-frame presentation times from the sample tables (metadata only: no packet bytes are read). */
async function keyframeTimes(video: InputVideoTrack): Promise<number[]> {
  const sink = new EncodedPacketSink(video);
  const times: number[] = [];
  for (let p = await sink.getFirstKeyPacket({ metadataOnly: true }); p; p = await sink.getNextKeyPacket(p, { metadataOnly: true })) {
    times.push(Math.round(p.timestamp * 1000));
  }
  return times.sort((a, b) => a - b);
}
