/**
 * Text-mode prompt rules (422 with a message that says what to change). They run after the
 * body schema (3–500 characters) and before anything is reserved.
 */
import { ApiError } from "../../core/errors";
import { POSE_LIMITS } from "./schema";

const MAX_WORDS = POSE_LIMITS.promptWords.max;

const MARKUP = [/<\s*script/i, /javascript\s*:/i, /\bon[a-z]+\s*=/i, /<\s*\/?\s*[a-z!][^>]*>/i];
const REPEATED = /(.)\1{9,}/su;

/** Words that never produce an acceptable image here (matched as whole words). */
const FORBIDDEN = ["nude", "naked", "nsfw", "porn", "explicit", "sexual", "gore", "bloody", "beheaded", "child", "minor", "underage"];

/** At least one of these must appear: the generator draws poses, not scenes. */
// biome-ignore format: a word list reads best as wrapped text
const POSE_WORDS = [
  "pose", "posing", "stand", "standing", "stands", "sit", "sitting", "sits", "seated", "walk", "walking", "run",
  "running", "jump", "jumping", "kneel", "kneeling", "crouch", "crouching", "squat", "squatting", "lie", "lying",
  "lean", "leaning", "dance", "dancing", "stretch", "stretching", "bend", "bending", "reach", "reaching", "arm",
  "arms", "leg", "legs", "hand", "hands", "hip", "hips", "shoulder", "shoulders", "head", "torso", "body", "step",
  "stride", "kick", "punch", "wave", "waving", "point", "pointing", "crossed", "raised", "folded", "twist", "turn",
  "turned", "profile", "facing", "portrait", "yoga", "plank", "lunge", "balance", "balancing", "climb", "climbing",
  "throw", "throwing", "hold", "holding",
];

const words = (text: string) => text.toLowerCase().match(/[\p{L}\p{N}']+/gu) ?? [];

/** Returns the prompt normalized (trimmed, Unicode NFC, inner whitespace collapsed) or throws 422. */
export function checkPosePrompt(raw: string): string {
  const prompt = raw.normalize("NFC").trim().replace(/\s+/g, " ");
  if (MARKUP.some((re) => re.test(prompt))) {
    throw new ApiError("UNPROCESSABLE", "The prompt may not contain HTML, scripts or event handlers; describe the pose in plain words");
  }
  if (REPEATED.test(prompt)) throw new ApiError("UNPROCESSABLE", "The prompt repeats one character 10 or more times in a row; write it out plainly");
  const list = words(prompt);
  if (list.length > MAX_WORDS) throw new ApiError("UNPROCESSABLE", `The prompt has ${list.length} words; keep it to ${MAX_WORDS}`);
  const forbidden = list.find((w) => FORBIDDEN.includes(w));
  if (forbidden) throw new ApiError("UNPROCESSABLE", `The prompt uses a word we do not generate ("${forbidden}"); rephrase it`);
  if (!list.some((w) => POSE_WORDS.includes(w))) {
    throw new ApiError("UNPROCESSABLE", "Describe a pose or body position — say what the body does, e.g. “standing with arms crossed” or “sitting cross-legged, hands on knees”");
  }
  return prompt;
}
