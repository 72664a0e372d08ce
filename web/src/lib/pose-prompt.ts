/**
 * The Pose Generator's text-prompt rules that can be checked as the user types, mirroring
 * worker/apps/pose-generator/{schema,prompt}.ts. The lengths come from the limits the server
 * publishes; word lists (forbidden words, pose words) stay on the server: its 422 message is
 * shown inline in the same place.
 */
import type { Range } from "../stores/catalog";

export interface PromptLimits {
  prompt: Range;
  promptWords: Range;
}

const MARKUP = [/<\s*script/i, /javascript\s*:/i, /\bon[a-z]+\s*=/i, /<\s*\/?\s*[a-z!][^>]*>/i];
const REPEATED = /(.)\1{9,}/su;

/** What is wrong with the prompt, in the server's words, or null when it may be sent. */
export function promptProblem(raw: string, limits: PromptLimits): string | null {
  const { min, max } = limits.prompt;
  // The schema counts the trimmed text; the rules below read it normalized, as the server does.
  const trimmed = raw.trim();
  if (trimmed.length < min) return `Describe the pose in at least ${min} characters`;
  if (trimmed.length > max) return `Keep the description to ${max} characters; it has ${trimmed.length}`;
  const prompt = raw.normalize("NFC").trim().replace(/\s+/g, " ");
  if (MARKUP.some((re) => re.test(prompt))) return "The prompt may not contain HTML, scripts or event handlers; describe the pose in plain words";
  if (REPEATED.test(prompt)) return "The prompt repeats one character 10 or more times in a row; write it out plainly";
  const words = prompt.toLowerCase().match(/[\p{L}\p{N}']+/gu) ?? [];
  if (words.length > limits.promptWords.max) return `The prompt has ${words.length} words; keep it to ${limits.promptWords.max}`;
  return null;
}
