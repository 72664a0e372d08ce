import { defineConfig } from "drizzle-kit";

export default defineConfig({
  dialect: "sqlite",
  // Concepts keep their tables in their own file beside schema.ts (they import users from it).
  schema: ["./worker/db/schema.ts", "./worker/db/video-clips.ts", "./worker/db/billing.ts"],
  out: "./migrations",
});
