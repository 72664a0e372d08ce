import { defineConfig } from "drizzle-kit";

export default defineConfig({
  dialect: "sqlite",
  // Concept tables live beside the core schema in their own files.
  schema: ["./worker/db/schema.ts", "./worker/db/carousel-mix.ts", "./worker/db/video-clips.ts", "./worker/db/billing.ts", "./worker/db/erasures.ts"],
  out: "./migrations",
});
