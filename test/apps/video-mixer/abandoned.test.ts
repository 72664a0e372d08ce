/** The cron's upkeep for clip uploads: it sweeps every user's uploads, so this file keeps storage of its own. */
import { createExecutionContext, createScheduledController, env, waitOnExecutionContext } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { ABANDONED_AFTER_MS, CLIP_PART_BYTES } from "../../../worker/apps/video-mixer/uploads";
import { register } from "../../support/client";
import { createProject } from "../../support/generations";
import { fixtureBytes, paddedMp4, putPart, startUpload, type StartedUpload, videoApi, expectUploadGone } from "../../support/video-mixer";
import worker from "../../support/worker";
import { clipA } from "./fixtures/clips";

describe("abandoned clip uploads", () => {
  it("the cron aborts uploads abandoned for a day, and leaves fresh ones alone", async () => {
    const user = await register();
    const projectId = await createProject(user, "video-mixer");
    const bytes = paddedMp4(fixtureBytes(clipA), CLIP_PART_BYTES + 100);
    const stale = (await (await startUpload(user, projectId, bytes.byteLength, "stale.mp4")).json<StartedUpload>()).clip;
    expect((await putPart(user, projectId, stale.id, 1, bytes.subarray(0, CLIP_PART_BYTES))).status).toBe(200);
    const row = await env.DB.prepare("SELECT upload_id, object_key, updated_at FROM video_clips WHERE id = ?").bind(stale.id).first<{ upload_id: string; object_key: string; updated_at: number }>();
    const fresh = (await (await startUpload(user, projectId, bytes.byteLength, "fresh.mp4")).json<StartedUpload>()).clip;
    // Judged at the run's scheduled time: just past the stale upload's deadline, before the fresh one's.
    await env.DB.prepare("UPDATE video_clips SET updated_at = updated_at + 60000 WHERE id = ?").bind(fresh.id).run();

    const ctx = createExecutionContext();
    await worker.scheduled!(createScheduledController({ scheduledTime: row!.updated_at + ABANDONED_AFTER_MS + 1, cron: "*/2 * * * *" }), env, ctx);
    await waitOnExecutionContext(ctx);

    expect((await videoApi(`/projects/${projectId}/clips/${stale.id}`, { token: user.token })).status).toBe(404);
    expect((await videoApi(`/projects/${projectId}/clips/${fresh.id}`, { token: user.token })).status).toBe(200);
    await expectUploadGone(row!.object_key, row!.upload_id);
  });
});
