/** Avatars: a project's list (upload, rename, delete, new ones after a generation), every avatar of the user, presets. */
import { createEffect, createResource, on, onCleanup } from "solid-js";
import { api, call, type Data } from "../lib/api";
import { realtime } from "../lib/realtime";
import { createPagedList } from "./paged-list";

const creator = api.apps["avatar-creator"];

export type Avatar = Data<(typeof creator.projects)[":projectId"]["avatars"]["$get"]>["items"][number];
export type AvatarPreset = Data<typeof creator.presets.$get>["presets"][number];

const PAGE_SIZE = 24;

export function createAvatarList(projectId: () => string | undefined) {
  const list = createPagedList<Avatar>(async (cursor) => {
    const id = projectId();
    if (!id) return { items: [], nextCursor: null };
    return call(creator.projects[":projectId"].avatars.$get({ param: { projectId: id }, query: { limit: String(PAGE_SIZE), cursor } }));
  });
  createEffect(on(projectId, () => list.reload(), { defer: true }));
  // Generated avatars join the list once their item is done.
  onCleanup(realtime.on("generation.finished", list.refreshHead));
  onCleanup(realtime.onResync(list.refreshHead));

  /** Uploads the (already checked) file as multipart `file` + `name`; the new avatar goes first. */
  async function upload(file: File, name: string): Promise<Avatar> {
    const id = projectId();
    if (!id) throw new Error("upload() without a project");
    const form = new FormData();
    form.set("file", file);
    form.set("name", name);
    const { avatar } = await call(creator.projects[":projectId"].avatars.$post({ param: { projectId: id } }, { init: { body: form } }));
    if (projectId() === id) list.replaceItems((items) => [avatar, ...items.filter((a) => a.id !== avatar.id)]);
    return avatar;
  }

  async function rename(id: string, name: string): Promise<void> {
    const { avatar } = await call(creator.avatars[":id"].$patch({ param: { id }, json: { name } }));
    list.replaceItems((items) => items.map((a) => (a.id === id ? avatar : a)));
  }

  async function remove(id: string): Promise<void> {
    await call(creator.avatars[":id"].$delete({ param: { id } }));
    list.replaceItems((items) => items.filter((a) => a.id !== id));
  }

  return { ...list, upload, rename, remove };
}

export type AvatarList = ReturnType<typeof createAvatarList>;

/** Every avatar the user has, across their Avatar Creator projects, newest first (for pickers). */
export function createAllAvatarsStore() {
  const [avatars, { refetch }] = createResource(async () => {
    const projects = (await call(api.projects.$get({ query: { appId: "avatar-creator", limit: "100" } }))).items;
    const pages = await Promise.all(projects.map((p) => call(creator.projects[":projectId"].avatars.$get({ param: { projectId: p.id }, query: { limit: "100" } }))));
    return pages.flatMap((page) => page.items).sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  });
  return { avatars, refetch: () => void refetch() };
}

export function createPresetsStore() {
  const [presets, { refetch }] = createResource(async () => (await call(creator.presets.$get())).presets);
  return { presets, refetch: () => void refetch() };
}
