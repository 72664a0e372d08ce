import { describe, expect, it } from "vitest";
import { checkPosePrompt } from "../../../worker/apps/pose-generator/prompt";
import { ApiError } from "../../../worker/core/errors";

const refusal = (prompt: string) => {
  try {
    checkPosePrompt(prompt);
    return null;
  } catch (e) {
    expect(e).toBeInstanceOf(ApiError);
    expect((e as ApiError).status).toBe(422);
    return (e as ApiError).message;
  }
};

describe("text-mode prompt rules", () => {
  it("accepts a plain pose description and normalizes it (trim, NFC, spaces)", () => {
    expect(checkPosePrompt("  sitting   cross-legged,\u0020hands on knees ")).toBe("sitting cross-legged, hands on knees");
    expect(checkPosePrompt("standing in a cafe\u0301")).toBe("standing in a café");
  });

  it("refuses HTML, scripts and event handlers", () => {
    for (const p of ["standing <script>x</script>", "standing javascript:alert(1)", "standing onload=go()", "standing <img src=x>", "standing <b>bold</b>"]) {
      expect(refusal(p)).toMatch(/HTML|scripts/);
    }
  });

  it("refuses a character repeated 10 or more times, but not 9", () => {
    expect(refusal("standing aaaaaaaaaa")).toMatch(/repeats one character/);
    expect(refusal("standing !!!!!!!!!!")).toMatch(/repeats one character/);
    expect(refusal("standing aaaaaaaaa")).toBeNull();
  });

  it("refuses more than 100 words", () => {
    expect(refusal(`standing ${"and ".repeat(100)}`)).toMatch(/101 words/);
    expect(refusal(`standing ${"and ".repeat(99)}`)).toBeNull();
  });

  it("refuses forbidden words as whole words only", () => {
    expect(refusal("standing nude on a beach")).toMatch(/word we do not generate/);
    expect(refusal("standing with a minor smile")).toMatch(/minor/);
    expect(refusal("standing in a nudeish outfit")).toBeNull();
  });

  it("asks for a pose when the prompt describes none, saying what to add", () => {
    expect(refusal("a beautiful sunset over the sea")).toMatch(/Describe a pose or body position.*e\.g\./);
    expect(refusal("kneeling by the sea")).toBeNull();
  });
});
