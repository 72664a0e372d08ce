/** Avatar Creator: project, upload a photo (checked in the browser first), generate from a prompt and preset, manage avatars. */
import { useSearchParams } from "@solidjs/router";
import { Page } from "../../components/page";
import { ProjectPicker } from "../../components/project-picker";
import { createAvatarList } from "../../stores/avatars";
import { createProjectsStore } from "../../stores/projects";
import { createAppsStore } from "../../stores/studio";
import { AvatarsPanel } from "./avatars-panel";
import { GeneratePanel } from "./generate-panel";
import { UploadPanel } from "./upload-panel";
import { AppGenerations } from "../../components/app-generations";

const APP_ID = "avatar-creator";

export default function AvatarCreator() {
  const [search, setSearch] = useSearchParams();
  const projects = createProjectsStore(APP_ID);
  const projectId = () => projects.selected(search.project);
  const avatars = createAvatarList(projectId);
  const catalog = createAppsStore();

  return (
    <Page title="Avatar Creator" lead="Upload a photo or describe a face, and keep your avatars in one place.">
      <div class="studio studio--avatars">
        <div class="studio__main">
          <ProjectPicker store={projects} selected={projectId()} onSelect={(id) => setSearch({ project: id }, { replace: true })} lead="Projects keep your avatars together." />
          <UploadPanel list={avatars} catalog={catalog} disabled={!projectId()} />
          <GeneratePanel appId={APP_ID} projectId={projectId()} />
        </div>
        <div class="studio__aside">
          <AvatarsPanel list={avatars} />
        </div>
      </div>
      <AppGenerations appId="avatar-creator" />
    </Page>
  );
}
