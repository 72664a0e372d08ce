/**
 * Variants as sequences of key-frame-aligned segments. Each clip is cut at its key frames
 * into segments of at least `segmentMs` (the last one may be shorter); a variant is a run
 * of distinct segments, picked by a seeded generator, that fills the length without going
 * over it. Variants of one generation are pairwise distinct: random picks first, then a
 * depth-first walk finds the rest or proves there are fewer than asked for.
 */
import { Random } from "../../ai/random";

export interface SourceClip {
  id: string;
  durationMs: number;
  keyframesMs: number[];
}

export interface Segment {
  clipId: string;
  startMs: number;
  endMs: number;
}

export interface SequenceRequest {
  /** In the order the user listed them: with keep-first, the first clip's opening segment leads. */
  clips: SourceClip[];
  variants: number;
  segmentMs: number;
  lengthMs: number;
  order: "shuffle" | "keep-first";
  seed: number;
}

export type SequenceResult = { ok: true; sequences: Segment[][] } | { ok: false; found: number };

const RANDOM_TRIES_PER_VARIANT = 30;

export const segmentLength = (s: Segment) => s.endMs - s.startMs;

/** Cuts a clip at key frames: each segment starts on one and lasts at least segmentMs, or to the clip's end. */
export function segmentsOf(clip: SourceClip, segmentMs: number): Segment[] {
  const out: Segment[] = [];
  const keys = [...new Set(clip.keyframesMs)].filter((k) => k < clip.durationMs).sort((a, b) => a - b);
  let start = keys[0];
  while (start !== undefined) {
    const from: number = start;
    const next = keys.find((k) => k >= from + segmentMs);
    out.push({ clipId: clip.id, startMs: from, endMs: next ?? clip.durationMs });
    start = next;
  }
  return out;
}

const signature = (sequence: Segment[]) => sequence.map((s) => `${s.clipId}@${s.startMs}`).join(",");

/** Segments not yet used that still fit in the remaining length. */
const fitting = (pool: Segment[], used: Set<Segment>, room: number) => pool.filter((s) => !used.has(s) && segmentLength(s) <= room);

function randomSequence(pool: Segment[], lead: Segment | null, lengthMs: number, random: Random): Segment[] {
  const sequence: Segment[] = lead ? [lead] : [];
  const used = new Set(sequence);
  let room = lengthMs - (lead ? segmentLength(lead) : 0);
  for (let options = fitting(pool, used, room); options.length > 0; options = fitting(pool, used, room)) {
    const pick = random.pick(options);
    sequence.push(pick);
    used.add(pick);
    room -= segmentLength(pick);
  }
  return sequence;
}

/** Every maximal sequence, depth first, until `want` distinct ones are known in total. */
function walk(pool: Segment[], prefix: Segment[], used: Set<Segment>, room: number, found: Map<string, Segment[]>, want: number): void {
  const options = fitting(pool, used, room);
  if (options.length === 0) {
    if (prefix.length > 0) found.set(signature(prefix), [...prefix]);
    return;
  }
  for (const s of options) {
    if (found.size >= want) return;
    prefix.push(s);
    used.add(s);
    walk(pool, prefix, used, room - segmentLength(s), found, want);
    used.delete(s);
    prefix.pop();
  }
}

export function planSequences(request: SequenceRequest): SequenceResult {
  const perClip = request.clips.map((c) => segmentsOf(c, request.segmentMs));
  const lead = request.order === "keep-first" ? (perClip[0]?.[0] ?? null) : null;
  if (lead && segmentLength(lead) > request.lengthMs) return { ok: false, found: 0 };
  const pool = perClip.flat().filter((s) => s !== lead);
  const random = new Random(request.seed);
  const found = new Map<string, Segment[]>();
  for (let i = 0; i < request.variants * RANDOM_TRIES_PER_VARIANT && found.size < request.variants; i++) {
    const sequence = randomSequence(pool, lead, request.lengthMs, random);
    if (sequence.length > 0) found.set(signature(sequence), sequence);
  }
  if (found.size < request.variants) {
    const prefix = lead ? [lead] : [];
    walk(pool, prefix, new Set(prefix), request.lengthMs - (lead ? segmentLength(lead) : 0), found, request.variants);
  }
  if (found.size < request.variants) return { ok: false, found: found.size };
  return { ok: true, sequences: [...found.values()].slice(0, request.variants) };
}
