import { describe, expect, it } from "vitest";
import { api, expectErrorShape, register } from "../support/client";
import { galleryPage, star } from "../support/gallery";
import { createProject, funded, getGeneration, submit, submitCaptured, waitForFinal } from "../support/generations";

async function finishedGeneration() {
  const user = await funded(100);
  const projectId = await createProject(user);
  const res = await submit(user, { projectId, prompt: "a starry test pattern", items: ["ok", "fail"] });
  expect(res.status).toBe(202);
  const { generation } = await res.json<{ generation: { id: string } }>();
  await waitForFinal(user, generation.id);
  return { user, projectId, id: generation.id };
}

const favouriteKeys = async (user: Awaited<ReturnType<typeof register>>, id: string) => (await getGeneration(user, id)).items!.filter((i) => i.favorite).map((i) => i.key);

describe("favourites", () => {
  it("stars and unstars an output idempotently, shown on the generation and in the gallery", async () => {
    const { user, id } = await finishedGeneration();
    expect(await favouriteKeys(user, id)).toEqual([]);

    expect((await star(user, id, "item-0")).status).toBe(204);
    expect((await star(user, id, "item-0")).status).toBe(204);
    expect(await favouriteKeys(user, id)).toEqual(["item-0"]);
    const starred = await galleryPage(user, { favorite: "true" });
    expect(starred.items.map((i) => [i.generationId, i.key, i.favorite])).toEqual([[id, "item-0", true]]);
    expect(starred.items[0]!.prompt).toBe("a starry test pattern");
    expect((await galleryPage(user, { favorite: "false" })).items).toEqual([]);

    expect((await star(user, id, "item-0", "DELETE")).status).toBe(204);
    expect((await star(user, id, "item-0", "DELETE")).status).toBe(204);
    expect(await favouriteKeys(user, id)).toEqual([]);
    expect((await galleryPage(user, { favorite: "true" })).items).toEqual([]);
    expect((await galleryPage(user)).items.map((i) => [i.key, i.favorite])).toEqual([["item-0", false]]);
  });

  it("answers 404 for another user's output and for unknown ones, changing nothing", async () => {
    const { user, id } = await finishedGeneration();
    expect((await star(user, id, "item-0")).status).toBe(204);
    const mallory = await register();

    const put = await star(mallory, id, "item-0");
    expect(put.status).toBe(404);
    await expectErrorShape(put, "NOT_FOUND");
    expect((await star(mallory, id, "item-0", "DELETE")).status).toBe(404);
    expect(await favouriteKeys(user, id)).toEqual(["item-0"]);
    expect((await galleryPage(mallory)).items).toEqual([]);

    expect((await star(user, id, "item-9")).status).toBe(404);
    expect((await star(user, "no-such-generation", "item-0")).status).toBe(404);
    expect((await star(user, id, "x".repeat(65))).status).toBe(400);
    expect((await api(`/api/generations/${id}/items/item-0/favorite`, { method: "PUT" })).status).toBe(401);
  });

  it("answers 404 once the project (and so the generation) is deleted; the gallery forgets it", async () => {
    const { user, projectId, id } = await finishedGeneration();
    expect((await star(user, id, "item-0")).status).toBe(204);
    expect((await api(`/api/projects/${projectId}`, { method: "DELETE", token: user.token })).status).toBe(204);
    expect((await star(user, id, "item-0")).status).toBe(404);
    expect((await star(user, id, "item-0", "DELETE")).status).toBe(404);
    expect((await galleryPage(user)).items).toEqual([]);
  });

  it("refuses 422 for an item with no output: failed or still queued", async () => {
    const { user, id } = await finishedGeneration();
    const failed = await star(user, id, "item-1");
    expect(failed.status).toBe(422);
    await expectErrorShape(failed, "UNPROCESSABLE");
    expect((await star(user, id, "item-1", "DELETE")).status).toBe(422);

    const projectId = await createProject(user);
    const { response } = await submitCaptured(user, projectId, ["ok"]);
    const queued = (await response.json<{ generation: { id: string } }>()).generation.id;
    expect((await star(user, queued, "item-0")).status).toBe(422);
    expect(await favouriteKeys(user, id)).toEqual([]);
    expect(await favouriteKeys(user, queued)).toEqual([]);
  });
});
