// Browser tests, run by scripts/e2e.mjs against its own `wrangler dev` (E2E_BASE_URL).
import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

export default defineConfig({
  root: fileURLToPath(new URL("../..", import.meta.url)),
  test: {
    include: ["test/e2e/**/*.test.ts"],
    environment: "node",
    // One Chromium at a time keeps the machine calm and the output readable.
    fileParallelism: false,
    testTimeout: 45_000,
    hookTimeout: 60_000,
    // expect.poll waits for the page as long as a person would, not vitest's default 1 s.
    expect: { poll: { timeout: 10_000 } },
    reporters: ["verbose"],
  },
});
