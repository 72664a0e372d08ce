/**
 * Concatenates key-frame-aligned segments of same-format clips into one fast-start MP4,
 * copying packets and rewriting their timestamps (nothing is decoded or encoded). Inputs
 * are read from R2 by range and the output is streamed to R2 part by part, so memory stays
 * bounded for the longest variant. Audio is cut with its segments, or left out.
 */
import {
  EncodedAudioPacketSource,
  EncodedPacketSink,
  EncodedVideoPacketSource,
  type EncodedPacket,
  type Input,
  type InputAudioTrack,
  type InputVideoTrack,
  Mp4OutputFormat,
  Output,
  StreamTarget,
} from "mediabunny";
import { r2Input } from "./r2-source";
import { R2StreamWriter } from "./r2-writer";

export interface RemuxClip {
  id: string;
  key: string;
  sizeBytes: number;
}

export interface RemuxSegment {
  clip: RemuxClip;
  /** A key-frame time of the clip (ms, as the probe reported it). */
  startMs: number;
  /** The next segment's key frame, or the clip's end. */
  endMs: number;
}

export interface RemuxResult {
  key: string;
  sizeBytes: number;
  durationMs: number;
  videoPackets: number;
  audioPackets: number;
}

interface OpenClip {
  input: Input;
  video: InputVideoTrack;
  videoSink: EncodedPacketSink;
  audio: InputAudioTrack | null;
  audioSink: EncodedPacketSink | null;
  endSeconds: number;
}

/** A segment's packets, in decode order, with their times relative to the segment's start. */
interface SegmentPackets {
  startSeconds: number;
  durationSeconds: number;
  video: AsyncGenerator<EncodedPacket>;
  audio: AsyncGenerator<EncodedPacket> | null;
}

/** ms on the probe's scale → a time just past that key frame, so lookups land on it despite rounding. */
const atMs = (ms: number) => ms / 1000 + 0.0005;

async function openClip(bucket: R2Bucket, clip: RemuxClip): Promise<OpenClip> {
  const input = r2Input(bucket, clip.key, clip.sizeBytes);
  const video = await input.getPrimaryVideoTrack();
  if (!video) throw new Error(`clip ${clip.id} has no video track`);
  const audio = await input.getPrimaryAudioTrack();
  return {
    input,
    video,
    videoSink: new EncodedPacketSink(video),
    audio,
    audioSink: audio ? new EncodedPacketSink(audio) : null,
    endSeconds: await input.computeDuration([video]),
  };
}

async function* audioBetween(sink: EncodedPacketSink, from: number, to: number, metadataOnly: boolean): AsyncGenerator<EncodedPacket> {
  const first = (await sink.getPacket(from, { metadataOnly })) ?? (await sink.getFirstPacket({ metadataOnly }));
  if (!first) return;
  // A packet belongs to the segment its middle falls in, so adjacent segments never share one.
  for await (const p of sink.packets(first, undefined, { metadataOnly })) {
    const middle = p.timestamp + p.duration / 2;
    if (middle >= to) return;
    if (middle >= from) yield p;
  }
}

async function segmentPackets(open: OpenClip, segment: RemuxSegment, withAudio: boolean, metadataOnly: boolean): Promise<SegmentPackets> {
  const start = await open.videoSink.getKeyPacket(atMs(segment.startMs), { metadataOnly });
  if (!start || Math.abs(start.timestamp * 1000 - segment.startMs) > 1) throw new Error(`clip ${segment.clip.id} has no key frame at ${segment.startMs} ms`);
  const atEnd = atMs(segment.endMs) >= open.endSeconds;
  const end = atEnd ? null : await open.videoSink.getKeyPacket(atMs(segment.endMs), { metadataOnly });
  if (!atEnd && (!end || Math.abs(end.timestamp * 1000 - segment.endMs) > 1)) throw new Error(`clip ${segment.clip.id} has no key frame at ${segment.endMs} ms`);
  const endSeconds = end ? end.timestamp : open.endSeconds;
  return {
    startSeconds: start.timestamp,
    durationSeconds: endSeconds - start.timestamp,
    video: open.videoSink.packets(start, end ?? undefined, { metadataOnly }),
    audio: withAudio && open.audioSink ? audioBetween(open.audioSink, start.timestamp, endSeconds, metadataOnly) : null,
  };
}

/**
 * Video and audio packets merged by time, so the file interleaves them (a player reads one
 * region at a time) and the muxer sees every track before it sizes the reserved header.
 */
async function* interleaved(video: AsyncGenerator<EncodedPacket>, audio: AsyncGenerator<EncodedPacket> | null): AsyncGenerator<{ track: "video" | "audio"; packet: EncodedPacket }> {
  let v = await video.next();
  let a = audio ? await audio.next() : null;
  while (!v.done || (a && !a.done)) {
    if (!v.done && (!a || a.done || v.value.timestamp <= a.value.timestamp)) {
      yield { track: "video", packet: v.value };
      v = await video.next();
    } else if (a && !a.done) {
      yield { track: "audio", packet: a.value };
      a = await audio!.next();
    }
  }
}

async function countPackets(clips: Map<string, OpenClip>, segments: RemuxSegment[], withAudio: boolean) {
  let video = 0;
  let audio = 0;
  for (const segment of segments) {
    const packets = await segmentPackets(clips.get(segment.clip.id)!, segment, withAudio, true);
    for await (const _ of packets.video) video++;
    if (packets.audio) for await (const _ of packets.audio) audio++;
  }
  return { video, audio };
}

/** Writes the variant to `key` in R2; on failure nothing is left there (the multipart upload is aborted). */
export async function remuxSegments(bucket: R2Bucket, segments: RemuxSegment[], options: { key: string; keepAudio: boolean }): Promise<RemuxResult> {
  if (segments.length === 0) throw new Error("a variant needs at least one segment");
  const clips = new Map<string, OpenClip>();
  const writer = new R2StreamWriter(bucket, options.key, "video/mp4");
  try {
    for (const s of segments) if (!clips.has(s.clip.id)) clips.set(s.clip.id, await openClip(bucket, s.clip));
    const first = clips.get(segments[0]!.clip.id)!;
    const keepAudio = options.keepAudio && [...clips.values()].every((c) => c.audio !== null);
    const counts = await countPackets(clips, segments, keepAudio);

    const output = new Output({ format: new Mp4OutputFormat({ fastStart: "reserve" }), target: new StreamTarget(writer.writable) });
    const videoOut = new EncodedVideoPacketSource("avc");
    const [frameRate, rotation, videoConfig] = await Promise.all([first.video.computeFrameRateMetrics(), first.video.getRotation(), first.video.getDecoderConfig()]);
    output.addVideoTrack(videoOut, { frameRate: Math.round(frameRate.bestGuessFrameRate), rotation, maximumPacketCount: counts.video });
    const audioOut = keepAudio && counts.audio > 0 ? new EncodedAudioPacketSource("aac") : null;
    const audioConfig = audioOut ? await first.audio!.getDecoderConfig() : null;
    if (audioOut) output.addAudioTrack(audioOut, { maximumPacketCount: counts.audio });
    await output.start();

    let offset = 0;
    let audioEnd = 0;
    let videoPackets = 0;
    let audioPackets = 0;
    for (const segment of segments) {
      const packets = await segmentPackets(clips.get(segment.clip.id)!, segment, audioOut !== null, false);
      for await (const { track, packet: p } of interleaved(packets.video, packets.audio)) {
        if (track === "video") {
          await videoOut.add(p.clone({ timestamp: offset + p.timestamp - packets.startSeconds }), videoPackets === 0 ? { decoderConfig: videoConfig! } : undefined);
          videoPackets++;
        } else if (audioOut) {
          const timestamp = Math.max(audioEnd, offset + p.timestamp - packets.startSeconds);
          await audioOut.add(p.clone({ timestamp }), audioPackets === 0 ? { decoderConfig: audioConfig! } : undefined);
          audioEnd = timestamp + p.duration;
          audioPackets++;
        }
      }
      offset += packets.durationSeconds;
    }
    await output.finalize();
    const written = await writer.finish();
    return { key: written.key, sizeBytes: written.sizeBytes, durationMs: Math.round(offset * 1000), videoPackets, audioPackets };
  } catch (e) {
    await writer.abort();
    throw e;
  } finally {
    for (const c of clips.values()) c.input.dispose();
  }
}
