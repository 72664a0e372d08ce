/** A Video Mixer project's clips: the list, uploads in parts with live progress, and delete. */
import { createEffect, createResource, createSignal, on } from "solid-js";
import { api, call, type Data } from "../lib/api";
import { type UploadProgress, uploadInParts } from "../lib/chunked-upload";

const mixer = api.apps["video-mixer"];
const clips = mixer.projects[":projectId"].clips;

export type Clip = Data<typeof clips.$get>["items"][number];

export interface ClipUpload {
  id: string;
  name: string;
  progress: UploadProgress;
  phase: "uploading" | "checking" | "failed";
  error: unknown;
}

export function createClipList(projectId: () => string | undefined) {
  const [list, { refetch, mutate }] = createResource(projectId, async (id) => (await call(clips.$get({ param: { projectId: id } }))).items);
  const [uploads, setUploads] = createSignal<ClipUpload[]>([]);
  createEffect(on(projectId, () => setUploads([]), { defer: true }));

  const patch = (id: string, change: Partial<ClipUpload>) => setUploads((all) => all.map((u) => (u.id === id ? { ...u, ...change } : u)));

  /** Create → parts (each retried alone) → complete; the checked clip (ready or rejected) joins the list. */
  async function upload(file: File): Promise<Clip | null> {
    const project = projectId();
    if (!project) return null;
    const localId = crypto.randomUUID();
    setUploads((all) => [...all, { id: localId, name: file.name, phase: "uploading", error: null, progress: { sentBytes: 0, totalBytes: file.size, part: 0, parts: 1, retries: 0 } }]);
    try {
      const started = await call(clips.$post({ param: { projectId: project }, json: { name: file.name.slice(0, 200), size: file.size, contentType: file.type || "video/mp4" } }));
      const clipId = started.clip.id;
      await uploadInParts(
        file,
        started.upload,
        async (n, part) => {
          await call(clips[":clipId"].parts[":n"].$put({ param: { projectId: project, clipId, n: String(n) } }, { init: { body: part, headers: { "Content-Type": "application/octet-stream" } } }));
        },
        (progress) => patch(localId, { progress }),
      );
      patch(localId, { phase: "checking" });
      const { clip } = await call(clips[":clipId"].complete.$post({ param: { projectId: project, clipId } }));
      setUploads((all) => all.filter((u) => u.id !== localId));
      if (projectId() === project) mutate((items) => [...(items ?? []).filter((c) => c.id !== clip.id), clip]);
      return clip;
    } catch (e) {
      patch(localId, { phase: "failed", error: e });
      return null;
    }
  }

  async function remove(clipId: string): Promise<void> {
    const project = projectId();
    if (!project) return;
    await call(clips[":clipId"].$delete({ param: { projectId: project, clipId } }));
    mutate((items) => (items ?? []).filter((c) => c.id !== clipId));
  }

  const dismiss = (id: string) => setUploads((all) => all.filter((u) => u.id !== id));

  return { list, uploads, upload, remove, dismiss, refetch: () => void refetch() };
}

export type ClipList = ReturnType<typeof createClipList>;

/** A generation's variants with the sequence each used, read again as items finish. */
export type Variant = Data<(typeof mixer.generations)[":generationId"]["variants"]["$get"]>["variants"][number];

export async function loadVariants(generationId: string): Promise<Variant[]> {
  return (await call(mixer.generations[":generationId"].variants.$get({ param: { generationId } }))).variants;
}
