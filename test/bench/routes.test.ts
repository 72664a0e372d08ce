import { describe, expect, it } from "vitest";
import { api, register } from "../support/client";
import { balanceOf, createProject, getGeneration, submitCaptured } from "../support/generations";

/** The routes bench:pipeline and bench:cpu measure against: they must do the work they are named for. */
describe("the benchmarks' routes", () => {
  it("render an item's work as often as asked, for its owner only, and change nothing", async () => {
    const owner = await register();
    const projectId = await createProject(owner);
    const { response } = await submitCaptured(owner, projectId, ["ok", "ok"]);
    expect(response.status).toBe(202);
    const { generation } = await response.json<{ generation: { id: string } }>();
    const before = await balanceOf(owner);

    const render = (token: string, count: number) => api("/api/bench/render", { method: "POST", token, json: { generationId: generation.id, count } });
    const res = await render(owner.token, 3);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ count: 3 });

    const stranger = await register();
    expect((await render(stranger.token, 1)).status).toBe(404);
    expect((await render(owner.token, 501)).status).toBe(400);
    // Neither money nor the generation moved: the work was only measured.
    expect(await balanceOf(owner)).toEqual(before);
    expect((await getGeneration(owner, generation.id)).items?.map((i) => i.status)).toEqual(["queued", "queued"]);
  });

  it("stack the floor of an authenticated request one layer at a time", async () => {
    const user = await register();
    expect((await api("/api/bench/floor/api")).status).toBe(200);
    expect((await api("/api/bench/floor/token")).status).toBe(401);
    expect(await (await api("/api/bench/floor/token", { token: user.token })).json()).toEqual({ ok: true });
    const object = await api("/api/bench/floor/object", { token: user.token });
    expect(object.status).toBe(200);
    expect(await object.json()).toEqual({ version: expect.any(Number) });
  });
});
