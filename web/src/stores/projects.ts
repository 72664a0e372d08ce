/** One app's projects (GET /api/projects?appId=), newest first: create, rename and delete. */
import { createResource } from "solid-js";
import { api, call, type Data } from "../lib/api";

export type Project = Data<typeof api.projects.$get>["items"][number];
export type ProjectAppId = Parameters<typeof api.projects.$post>[0]["json"]["appId"];

/** Enough for any picker; older projects beyond this are rare and still reachable by URL. */
const LIMIT = 100;

export function createProjectsStore(appId: ProjectAppId) {
  const [projects, { refetch, mutate }] = createResource(async () => (await call(api.projects.$get({ query: { appId, limit: String(LIMIT) } }))).items);

  /** Creates a project and puts it first in the list. */
  async function create(name: string): Promise<Project> {
    const project = await call(api.projects.$post({ json: { appId, name } }));
    const known = projects.state === "ready" ? projects() : [];
    mutate([project, ...known.filter((p) => p.id !== project.id)]);
    return project;
  }

  const known = () => (projects.state === "ready" || projects.state === "refreshing" ? (projects.latest ?? []) : []);

  async function rename(id: string, name: string): Promise<Project> {
    const project = await call(api.projects[":id"].$patch({ param: { id }, json: { name } }));
    mutate(known().map((p) => (p.id === id ? project : p)));
    return project;
  }

  /** Deletes the project with its generations and files (the server refuses while one still runs). */
  async function remove(id: string): Promise<void> {
    await call(api.projects[":id"].$delete({ param: { id } }));
    mutate(known().filter((p) => p.id !== id));
  }

  /** The project `wanted` names (e.g. ?project=) if it is in the list, else the newest one. */
  const selected = (wanted: unknown): string | undefined => {
    const list = projects.state === "ready" ? projects() : [];
    return list.find((p) => p.id === wanted)?.id ?? list[0]?.id;
  };

  return { projects, refetch: () => void refetch(), create, rename, remove, selected };
}

export type ProjectsStore = ReturnType<typeof createProjectsStore>;
