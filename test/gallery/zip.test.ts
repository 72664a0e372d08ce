import { describe, expect, it } from "vitest";
import { GALLERY_ZIP_MAX_ITEMS } from "../../worker/gallery/schema";
import { api, expectErrorShape, register, type Client } from "../support/client";
import { fileBytes, seedGeneration } from "../support/gallery";
import { createProject } from "../support/generations";
import { readZip } from "../support/unzip";

const zip = (user: Client, items: { generationId: string; key: string }[]) => api("/api/gallery/zip", { method: "POST", token: user.token, json: { items } });

describe("gallery ZIP", () => {
  it(`streams the maximum of ${GALLERY_ZIP_MAX_ITEMS} outputs with an exact length, each file's own bytes`, async () => {
    expect(GALLERY_ZIP_MAX_ITEMS).toBe(50);
    const user = await register();
    const projectId = await createProject(user);
    const generations = [
      await seedGeneration(user, projectId, 20, { withFiles: true }),
      await seedGeneration(user, projectId, 20, { withFiles: true }),
      await seedGeneration(user, projectId, 10, { withFiles: true }),
    ];
    const items = generations.flatMap((g) => g.keys.map((key) => ({ generationId: g.id, key })));
    expect(items).toHaveLength(GALLERY_ZIP_MAX_ITEMS);

    const res = await zip(user, items);
    expect(res.status).toBe(200);
    expect(res.headers.get("Content-Type")).toBe("application/zip");
    expect(res.headers.get("Content-Disposition")).toMatch(/^attachment; filename="lumiku-gallery-50-files\.zip"$/);
    const body = new Uint8Array(await res.arrayBuffer());
    expect(body.length).toBe(Number(res.headers.get("Content-Length")));
    const entries = readZip(body);
    expect(entries).toHaveLength(50);
    const byName = new Map(entries.map((e) => [e.name, new TextDecoder().decode(e.bytes)]));
    for (const { generationId, key } of items) {
      expect(byName.get(`test-pipeline/${generationId.slice(0, 12)}-${key}-original.png`)).toBe(new TextDecoder().decode(fileBytes(`${generationId}:${key}`)));
    }
  });

  it("refuses more than the maximum, none, and the same output twice (400)", async () => {
    const user = await register();
    const projectId = await createProject(user);
    const g = await seedGeneration(user, projectId, 20, { withFiles: true });
    const many = Array.from({ length: GALLERY_ZIP_MAX_ITEMS + 1 }, (_, i) => ({ generationId: g.id, key: `item-${i}` }));
    for (const items of [
      many,
      [],
      [
        { generationId: g.id, key: "item-0" },
        { generationId: g.id, key: "item-0" },
      ],
    ]) {
      const res = await zip(user, items);
      expect(res.status).toBe(400);
      await expectErrorShape(res, "VALIDATION_ERROR");
    }
  });

  it("answers 404 when one output is another user's or unknown, 422 when one has no output", async () => {
    const alice = await register();
    const mallory = await register();
    const aliceProject = await createProject(alice);
    const mine = await seedGeneration(mallory, await createProject(mallory), 1, { withFiles: true });
    const hers = await seedGeneration(alice, aliceProject, 2, { withFiles: true });
    const failed = await seedGeneration(mallory, await createProject(mallory), 1, { status: "failed" });

    const stolen = await zip(mallory, [
      { generationId: mine.id, key: "item-0" },
      { generationId: hers.id, key: "item-0" },
    ]);
    expect(stolen.status).toBe(404);
    await expectErrorShape(stolen, "NOT_FOUND");
    expect((await zip(mallory, [{ generationId: mine.id, key: "item-7" }])).status).toBe(404);
    const empty = await zip(mallory, [
      { generationId: mine.id, key: "item-0" },
      { generationId: failed.id, key: "item-0" },
    ]);
    expect(empty.status).toBe(422);
    await expectErrorShape(empty, "UNPROCESSABLE");
    expect((await zip(alice, [{ generationId: hers.id, key: "item-1" }])).status).toBe(200);
  });
});
