/**
 * The benchmark's Worker: stores source clips in its local R2 bucket and runs the project's
 * remux (the code a variant item runs) once per request, so the runner can time it from
 * outside and watch workerd's CPU and memory.
 */
import { remuxSegments, type RemuxSegment } from "../../worker/media/video/remux";

interface BenchEnv {
  FILES: R2Bucket;
}

interface Step {
  clip: string;
  startMs: number;
  endMs: number;
}

export default {
  async fetch(request: Request, env: BenchEnv): Promise<Response> {
    const url = new URL(request.url);
    if (url.pathname === "/health") return new Response("ok");
    if (request.method === "PUT" && url.pathname === "/clip") {
      const name = url.searchParams.get("name") ?? "";
      const stored = await env.FILES.put(`clips/${name}`, request.body, { httpMetadata: { contentType: "video/mp4" } });
      return Response.json({ stored: name, size: stored?.size ?? 0 });
    }
    if (request.method === "POST" && url.pathname === "/remux") {
      const steps = (await request.json()) as Step[];
      const sizes = new Map<string, number>();
      for (const s of steps) if (!sizes.has(s.clip)) sizes.set(s.clip, (await env.FILES.head(`clips/${s.clip}`))?.size ?? 0);
      const segments: RemuxSegment[] = steps.map((s) => ({ clip: { id: s.clip, key: `clips/${s.clip}`, sizeBytes: sizes.get(s.clip)! }, startMs: s.startMs, endMs: s.endMs }));
      try {
        const result = await remuxSegments(env.FILES, segments, { key: `out/${url.searchParams.get("out") ?? "variant"}.mp4`, keepAudio: true });
        return Response.json(result);
      } catch (error) {
        return Response.json({ error: error instanceof Error ? error.message : String(error) }, { status: 500 });
      }
    }
    if (request.method === "GET" && url.pathname === "/out") {
      const object = await env.FILES.get(`out/${url.searchParams.get("out") ?? "variant"}.mp4`);
      return object ? new Response(object.body) : new Response("missing", { status: 404 });
    }
    return new Response("not found", { status: 404 });
  },
} satisfies ExportedHandler<BenchEnv>;
