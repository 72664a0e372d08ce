import { env } from "cloudflare:test";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { db } from "../../worker/db/client";
import { generations } from "../../worker/db/schema";
import { projectPrefix } from "../../worker/storage/keys";
import { api, register } from "../support/client";
import { createProject, submit, submitCaptured, waitForFinal } from "../support/generations";

describe("projects", () => {
  it("creates, lists per app, renames and reads a project", async () => {
    const user = await register();
    const created = await api("/api/projects", { method: "POST", token: user.token, json: { appId: "pose-generator", name: "  Spring shoot ", description: "lookbook" } });
    expect(created.status).toBe(201);
    const project = await created.json<{ id: string; name: string; appId: string }>();
    expect(project).toMatchObject({ name: "Spring shoot", appId: "pose-generator" });
    await api("/api/projects", { method: "POST", token: user.token, json: { appId: "avatar-creator", name: "Faces" } });

    const poses = await (await api("/api/projects?appId=pose-generator", { token: user.token })).json<{ items: Array<{ id: string }> }>();
    expect(poses.items.map((p) => p.id)).toEqual([project.id]);
    const renamed = await api(`/api/projects/${project.id}`, { method: "PATCH", token: user.token, json: { name: "Summer shoot" } });
    expect(await renamed.json()).toMatchObject({ name: "Summer shoot", description: "lookbook" });
    expect(await (await api(`/api/projects/${project.id}`, { token: user.token })).json()).toMatchObject({ name: "Summer shoot" });
  });

  it("refuses unknown apps, empty names and client-set owners", async () => {
    const user = await register();
    expect((await api("/api/projects", { method: "POST", token: user.token, json: { appId: "nope", name: "x" } })).status).toBe(400);
    expect((await api("/api/projects", { method: "POST", token: user.token, json: { appId: "pose-generator", name: "  " } })).status).toBe(400);
    const other = await register();
    const res = await api("/api/projects", { method: "POST", token: user.token, json: { appId: "pose-generator", name: "Mine", userId: other.userId } });
    const project = await res.json<{ id: string }>();
    expect((await api(`/api/projects/${project.id}`, { token: other.token })).status).toBe(404);
    expect((await api(`/api/projects/${project.id}`, { token: user.token })).status).toBe(200);
  });

  it("hides another user's project on every verb (404) and changes nothing", async () => {
    const alice = await register();
    const bob = await register();
    const id = await createProject(alice, "pose-generator");
    expect((await api(`/api/projects/${id}`, { token: bob.token })).status).toBe(404);
    expect((await api(`/api/projects/${id}`, { method: "PATCH", token: bob.token, json: { name: "mine now" } })).status).toBe(404);
    expect((await api(`/api/projects/${id}`, { method: "DELETE", token: bob.token })).status).toBe(404);
    expect(await (await api(`/api/projects/${id}`, { token: alice.token })).json()).toMatchObject({ name: "Test project" });
  });

  it("deletes a project with its generations and files, and nothing of another user's", async () => {
    const alice = await register();
    const bob = await register();
    const aliceProject = await createProject(alice);
    const bobProject = await createProject(bob);
    const mine = await (await submit(alice, { projectId: aliceProject, items: ["ok"] })).json<{ generation: { id: string } }>();
    const theirs = await (await submit(bob, { projectId: bobProject, items: ["ok"] })).json<{ generation: { id: string } }>();
    await waitForFinal(alice, mine.generation.id);
    await waitForFinal(bob, theirs.generation.id);
    const aliceFiles = projectPrefix(alice.userId, aliceProject);
    const bobFiles = projectPrefix(bob.userId, bobProject);
    // One item: its original and its preview.
    expect((await env.FILES.list({ prefix: aliceFiles })).objects).toHaveLength(2);

    expect((await api(`/api/projects/${aliceProject}`, { method: "DELETE", token: alice.token })).status).toBe(204);
    expect((await env.FILES.list({ prefix: aliceFiles })).objects).toHaveLength(0);
    expect(await db(env.DB).select().from(generations).where(eq(generations.id, mine.generation.id)).get()).toBeUndefined();
    expect((await api(`/api/projects/${aliceProject}`, { token: alice.token })).status).toBe(404);

    expect((await env.FILES.list({ prefix: bobFiles })).objects).toHaveLength(2);
    expect((await api(`/api/generations/${theirs.generation.id}`, { token: bob.token })).status).toBe(200);
  });

  it("refuses to delete a project while a generation is still running (409)", async () => {
    const user = await register();
    const projectId = await createProject(user);
    const { response } = await submitCaptured(user, projectId, ["ok"]);
    expect(response.status).toBe(202);
    const res = await api(`/api/projects/${projectId}`, { method: "DELETE", token: user.token });
    expect(res.status).toBe(409);
  });
});
