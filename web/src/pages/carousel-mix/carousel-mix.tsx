/** Carousel Mix: build slides from uploads and captions, pick size, style and count, then watch the carousels fill in. */
import { useSearchParams } from "@solidjs/router";
import { Show } from "solid-js";
import { Page } from "../../components/page";
import { ProjectPicker } from "../../components/project-picker";
import { ErrorNotice } from "../../components/error-notice";
import { Skeleton } from "../../components/skeleton";
import { carouselLimits, createSlidesStore } from "../../stores/carousel";
import { createProjectsStore } from "../../stores/projects";
import { createAppsStore } from "../../stores/studio";
import { CarouselsPanel } from "./carousels-panel";
import { GeneratePanel, createCarouselChoices } from "./generate-panel";
import { SlidesPanel } from "./slides-panel";
import "./carousel-mix.css";
import { AppGenerations } from "../../components/app-generations";

const APP_ID = "carousel-mix";

export default function CarouselMix() {
  const [search, setSearch] = useSearchParams();
  const projects = createProjectsStore(APP_ID);
  const projectId = () => projects.selected(search.project);
  const generationId = () => (typeof search.generation === "string" ? search.generation : undefined);
  const slides = createSlidesStore(projectId);
  const choices = createCarouselChoices();
  const apps = createAppsStore();
  const app = () => (apps.apps.state === "ready" ? apps.apps().find((a) => a.id === APP_ID) : undefined);
  const limits = () => carouselLimits(app());

  return (
    <Page title="Carousel Mix" lead="A few images and captions per slide become many distinct, ready-to-post carousels.">
      <div class="stack">
        <Show when={apps.apps.state !== "errored"} fallback={<ErrorNotice error={apps.apps.error} onRetry={apps.refetch} />}>
          <div class="studio cm-studio">
            <div class="studio__main">
              <ProjectPicker
                store={projects}
                selected={projectId()}
                onSelect={(id) => setSearch({ project: id, generation: undefined }, { replace: true })}
                lead="Each project is one carousel design."
              />
              <Show when={limits()} fallback={<Skeleton width="100%" height="12rem" />}>
                {(l) => <SlidesPanel store={slides} limits={l()} projectId={projectId()} />}
              </Show>
            </div>
            <div class="studio__aside">
              {/* Keyed on the generation: a started batch leaves a fresh submit (same choices) for the next one. */}
              <Show when={generationId() ?? "none"} keyed>
                {(_key) => (
                  <Show when={app() && limits() ? { app: app()!, limits: limits()! } : undefined}>
                    {(ready) => (
                      <GeneratePanel
                        projectId={projectId()}
                        app={ready().app}
                        limits={ready().limits}
                        slides={slides}
                        choices={choices}
                        onStarted={(id) => setSearch({ project: projectId(), generation: id })}
                      />
                    )}
                  </Show>
                )}
              </Show>
            </div>
          </div>
        </Show>
        <Show when={generationId()} keyed>
          {(id) => <CarouselsPanel generationId={id} />}
        </Show>
        <AppGenerations appId="carousel-mix" />
      </div>
    </Page>
  );
}
