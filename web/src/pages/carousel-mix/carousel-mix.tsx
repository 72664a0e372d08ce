/** Carousel Mix: build slides from uploads and captions, pick size, style and count, then watch the carousels fill in. */
import { useSearchParams } from "@solidjs/router";
import { Show } from "solid-js";
import { Page } from "../../components/page";
import { ProjectPicker } from "../../components/project-picker";
import { createSlidesStore } from "../../stores/carousel";
import { createProjectsStore } from "../../stores/projects";
import { CarouselsPanel } from "./carousels-panel";
import { GeneratePanel, createCarouselChoices } from "./generate-panel";
import { SlidesPanel } from "./slides-panel";
import "./carousel-mix.css";

const APP_ID = "carousel-mix";

export default function CarouselMix() {
  const [search, setSearch] = useSearchParams();
  const projects = createProjectsStore(APP_ID);
  const projectId = () => projects.selected(search.project);
  const generationId = () => (typeof search.generation === "string" ? search.generation : undefined);
  const slides = createSlidesStore(projectId);
  const choices = createCarouselChoices();

  return (
    <Page title="Carousel Mix" lead="A few images and captions per slide become many distinct, ready-to-post carousels.">
      <div class="stack">
        <div class="studio cm-studio">
          <div class="studio__main">
            <ProjectPicker store={projects} selected={projectId()} onSelect={(id) => setSearch({ project: id, generation: undefined }, { replace: true })} lead="Each project is one carousel design." />
            <SlidesPanel store={slides} projectId={projectId()} />
          </div>
          <div class="studio__aside">
            {/* Keyed on the generation: a started batch leaves a fresh submit (same choices) for the next one. */}
            <Show when={generationId() ?? "none"} keyed>
              {(_key) => <GeneratePanel projectId={projectId()} slides={slides} choices={choices} onStarted={(id) => setSearch({ project: projectId(), generation: id })} />}
            </Show>
          </div>
        </div>
        <Show when={generationId()} keyed>
          {(id) => <CarouselsPanel generationId={id} />}
        </Show>
      </div>
    </Page>
  );
}
