/** Video Mixer: upload clips, pick them, and get many distinct variant videos, remuxed at the edge. */
import { useSearchParams } from "@solidjs/router";
import { Show, createMemo, createSignal } from "solid-js";
import { Page } from "../../components/page";
import { ProjectPicker } from "../../components/project-picker";
import { createProjectsStore } from "../../stores/projects";
import { createAppsStore } from "../../stores/studio";
import { createClipList } from "../../stores/video-clips";
import { ClipsPanel } from "./clips-panel";
import { APP_ID, MixForm } from "./mix-form";
import { VariantsPanel } from "./variants-panel";
import "./video-mixer.css";
import { AppGenerations } from "../../components/app-generations";

export default function VideoMixer() {
  const [search, setSearch] = useSearchParams();
  const projects = createProjectsStore(APP_ID);
  const projectId = () => projects.selected(search.project);
  const clips = createClipList(projectId);
  const [picked, setPicked] = createSignal<string[]>([]);
  const toggle = (id: string) => setPicked((ids) => (ids.includes(id) ? ids.filter((x) => x !== id) : [...ids, id]));
  const ready = () => (clips.list.state === "ready" || clips.list.state === "refreshing" ? (clips.list.latest ?? []) : []);
  const pickedClips = () => picked().flatMap((id) => ready().filter((c) => c.id === id && c.status === "ready"));
  const apps = createAppsStore();
  const app = createMemo(() => (apps.apps.state === "ready" ? apps.apps().find((a) => a.id === APP_ID) : undefined));
  const generationId = () => (typeof search.generation === "string" ? search.generation : undefined);

  return (
    <Page title="Video Mixer" lead="Upload a few clips and get many distinct variants: cut at key frames and joined without re-encoding.">
      <div class="studio studio--video">
        <div class="studio__main">
          <ProjectPicker
            store={projects}
            selected={projectId()}
            onSelect={(id) => {
              setPicked([]);
              setSearch({ project: id, generation: undefined }, { replace: true });
            }}
            lead="Projects keep your clips and mixes together."
          />
          <ClipsPanel app={app()} clips={clips} disabled={!projectId()} picked={picked()} onToggle={toggle} />
        </div>
        <div class="studio__aside">
          <MixForm app={app()} projectId={projectId()} picked={pickedClips()} onStarted={(id) => setSearch({ generation: id })} />
        </div>
      </div>
      <Show when={generationId()} keyed>
        {(id) => <VariantsPanel generationId={id} clips={ready()} />}
      </Show>
      <AppGenerations appId="video-mixer" />
    </Page>
  );
}
