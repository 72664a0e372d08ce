/** Pose Generator: project, poses from the library or a description, background, export sizes, avatar, cost, submit. */
import { useNavigate, useSearchParams } from "@solidjs/router";
import { Show, createEffect, createMemo, createSignal, on } from "solid-js";
import { ChoiceGroup } from "../../components/choice-group";
import { ModelPicker, modelBlocker, type Tier } from "../../components/model-picker";
import { Page } from "../../components/page";
import { Panel } from "../../components/panel";
import { ProjectPicker } from "../../components/project-picker";
import { Skeleton } from "../../components/skeleton";
import { ApiError } from "../../lib/api";
import { fieldErrors } from "../../lib/form";
import { useAccount } from "../../stores/account";
import { createSubscriptionStore } from "../../stores/billing";
import { createAllAvatarsStore } from "../../stores/avatars";
import { findApp } from "../../stores/catalog";
import { createGenerationSubmitter } from "../../stores/generation-submit";
import { createPoseForm, readPoseLimits, type Prices } from "../../stores/pose-form";
import { createPoseLibrary } from "../../stores/pose-library";
import { createProjectsStore } from "../../stores/projects";
import { createAppsStore } from "../../stores/studio";
import { BackgroundOptions } from "./background";
import { LibraryBrowser, SelectedPoses } from "./library";
import { NumberField } from "./number-field";
import { AvatarPicker, ExportFormats } from "./options";
import { Summary } from "./summary";
import { TextMode } from "./text-mode";
import { AppGenerations } from "../../components/app-generations";

const APP_ID = "pose-generator";

const FieldsSkeleton = () => <Skeleton width="100%" height="12rem" />;

/** A 422 from the server, routed to the field it is about. */
function placeServerError(error: unknown): { prompt?: string; background?: string } {
  if (!(error instanceof ApiError) || error.status !== 422) return {};
  if (/^the background prompt/i.test(error.message)) return { background: error.message };
  if (/^(the prompt|describe a pose)/i.test(error.message)) return { prompt: error.message };
  return {};
}

export default function PoseGenerator() {
  const navigate = useNavigate();
  const [search, setSearch] = useSearchParams();
  const { balance } = useAccount();
  const projects = createProjectsStore(APP_ID);
  const catalog = createAppsStore();
  const library = createPoseLibrary();
  const avatars = createAllAvatarsStore();
  const submitter = createGenerationSubmitter(APP_ID);
  const subscription = createSubscriptionStore();
  const [modelId, setModelId] = createSignal("standard");

  const projectId = () => projects.selected(search.project);
  const app = createMemo(() => findApp(catalog, APP_ID));
  const limits = createMemo(() => {
    const a = app();
    return a ? readPoseLimits(a) : undefined;
  });
  const form = createPoseForm(projectId, limits, catalog.uploads);
  createEffect(on(projectId, () => form.forgetUpload(), { defer: true }));

  const model = createMemo(() => app()?.models.find((m) => m.id === modelId()));
  // The cost comes from the model; the enterprise_unlimited tag counts as Enterprise.
  const tier = (): Tier => {
    const b = balance.balance.state === "ready" || balance.balance.state === "refreshing" ? balance.balance.latest : undefined;
    if (b?.unlimited) return "enterprise";
    return subscription.subscription.state === "ready" ? (subscription.subscription()?.tier ?? "free") : "free";
  };
  const prices = createMemo((): Prices | null => {
    const credits = model()?.credits;
    const pose = credits?.pose;
    return pose === undefined ? null : { pose, backgroundChanger: credits?.backgroundChanger ?? 0 };
  });
  const cost = createMemo(() => {
    const p = prices();
    return p ? form.cost(p) : null;
  });
  const available = () => {
    const b = balance.balance.state === "ready" || balance.balance.state === "refreshing" ? balance.balance.latest : undefined;
    if (!b) return null;
    return b.unlimited ? Infinity : b.available;
  };
  const short = () => {
    const c = cost();
    const a = available();
    return c !== null && a !== null && c.total > a;
  };
  const placed = createMemo(() => placeServerError(submitter.error()));
  // The prompt it was about, so the message goes once the text changes.
  let failedPrompt = "";
  const promptServerError = () => (placed().prompt && form.textPrompt() === failedPrompt ? placed().prompt : undefined);
  const errors = () => fieldErrors(submitter.error(), ["textPrompt", "backgroundColor", "backgroundPrompt", "selectedPoseIds", "outputFormats"]);
  const generalError = () => {
    const e = submitter.error();
    if (!e || placed().prompt || placed().background) return null;
    return Object.keys(errors()).length ? null : e;
  };
  const reason = () => {
    if (limits() === null) return form.blocker();
    if (!prices() || available() === null) return "Loading prices and your balance…";
    if (short()) return "Not enough credits for this.";
    return modelBlocker(model(), tier()) ?? form.blocker();
  };
  /** The catalogue's limits and upload rule, once both are known: the fields need them to say their bounds. */
  const known = () => {
    const l = limits();
    const uploads = catalog.uploads();
    return l && uploads ? { limits: l, uploads } : undefined;
  };
  const loadingLimits = () => !known() && catalog.apps.state !== "errored" && limits() !== null;

  async function submit() {
    const project = projectId();
    if (!project || reason()) return;
    failedPrompt = form.textPrompt();
    const generation = await submitter.submit({ ...form.body(project), ...(model()?.default ? {} : { modelId: modelId() }) });
    if (generation) navigate(`/generations/${generation.id}`);
  }

  return (
    <Page title="Pose Generator" lead="Pick poses from the library or describe one; add a background and export sizes.">
      <div class="studio">
        <div class="studio__main">
          <ProjectPicker store={projects} selected={projectId()} onSelect={(id) => setSearch({ project: id }, { replace: true })} lead="Projects keep your poses and backgrounds together." />
          <Panel title="Poses" busy={loadingLimits()}>
            <ChoiceGroup
              legend="Start from"
              options={[
                { value: "GALLERY_REFERENCE", label: "Pose library" },
                { value: "TEXT_DESCRIPTION", label: "A description" },
              ]}
              value={form.mode()}
              onChange={form.setMode}
            />
            <Show when={known()} fallback={<FieldsSkeleton />}>
              {(k) => (
                <Show when={form.mode() === "GALLERY_REFERENCE"} fallback={<TextMode form={form} limits={k().limits} serverError={promptServerError()} fieldError={errors().textPrompt} />}>
                  <SelectedPoses form={form} limits={k().limits} />
                  <LibraryBrowser library={library} form={form} />
                  <NumberField
                    label="Images per pose"
                    hint={`${k().limits.batch.min}–${k().limits.batch.max} variations of each picked pose`}
                    value={form.batchSize()}
                    range={k().limits.batch}
                    onChange={form.setBatchSize}
                  />
                </Show>
              )}
            </Show>
          </Panel>
          <Panel title="Options" busy={loadingLimits()}>
            <Show when={app()}>{(a) => <ModelPicker models={a().models} value={modelId()} onChange={setModelId} tier={tier()} action="pose" />}</Show>
            <Show when={known()} fallback={<FieldsSkeleton />}>
              {(k) => (
                <>
                  <BackgroundOptions form={form} limits={k().limits} uploads={k().uploads} errors={errors()} serverError={placed().background} />
                  <ExportFormats form={form} limits={k().limits} />
                </>
              )}
            </Show>
            <AvatarPicker form={form} store={avatars} />
          </Panel>
        </div>
        <aside class="studio__aside">
          <Summary catalog={catalog} cost={cost()} available={available()} items={form.items()} reason={reason()} busy={submitter.busy()} error={generalError()} onSubmit={() => void submit()} />
        </aside>
      </div>
      <AppGenerations appId="pose-generator" />
    </Page>
  );
}
