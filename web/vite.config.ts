import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { defineConfig, loadEnv, type Plugin } from "vite";
import solid from "vite-plugin-solid";

/**
 * A studio built with VITE_API_BASE (deployed to Pages, the API on another origin) may reach
 * that origin: its Content-Security-Policy in _headers lets it fetch, open the socket and show files there.
 */
function apiOriginPolicy(apiBase: string | undefined): Plugin {
  return {
    name: "lumiku-api-origin-policy",
    apply: "build",
    async writeBundle(options) {
      if (!apiBase) return;
      const origin = new URL(apiBase).origin;
      const socket = origin.replace(/^http/, "ws");
      const file = join(options.dir ?? "web/dist", "_headers");
      const headers = (await readFile(file, "utf8"))
        .replace("connect-src 'self'", `connect-src 'self' ${origin} ${socket}`)
        .replace("img-src 'self' data: blob:", `img-src 'self' data: blob: ${origin}; media-src 'self' ${origin}`);
      await writeFile(file, headers);
    },
  };
}

export default defineConfig(({ mode }) => {
  const env = loadEnv(mode, "web", "VITE_");
  return {
    root: "web",
    plugins: [solid(), apiOriginPolicy(env.VITE_API_BASE || undefined)],
    build: { outDir: "dist", emptyOutDir: true, target: "es2022", reportCompressedSize: true },
    server: { proxy: { "/api": { target: "http://127.0.0.1:8787", ws: true } } },
  };
});
