/** Looping Flow: still uploads into a loop project, and the user's finished outputs that can start a loop. */
import { createResource } from "solid-js";
import { api, call, type Data } from "../lib/api";

const loops = api.apps["looping-flow"];

export type StillUpload = Data<(typeof loops.projects)[":projectId"]["uploads"]["$post"]>;
export type OutputSource = Data<typeof loops.sources.$get>["items"][number];

const SOURCES_SHOWN = "24";

/** Uploads an (already checked) still as multipart `file`. */
export async function uploadStill(projectId: string, file: File): Promise<StillUpload> {
  const form = new FormData();
  form.set("file", file);
  return call(loops.projects[":projectId"].uploads.$post({ param: { projectId } }, { init: { body: form } }));
}

export function createSourcesStore() {
  const [sources, { refetch }] = createResource(async () => (await call(loops.sources.$get({ query: { limit: SOURCES_SHOWN } }))).items);
  return { sources, refetch: () => void refetch() };
}
