/** A mix's variants, live: progress as each finishes, then each one playable in the page (with seeking) and downloadable. */
import { For, Show, createResource, onCleanup } from "solid-js";
import { ErrorNotice } from "../../components/error-notice";
import { Panel } from "../../components/panel";
import { ProgressBar } from "../../components/progress-bar";
import { StatusBadge } from "../../components/status-badge";
import { coalesce } from "../../lib/coalesce";
import { realtime } from "../../lib/realtime";
import { createGenerationStore } from "../../stores/generation";
import { type Clip, loadVariants, type Variant } from "../../stores/video-clips";
import { formatBytes, formatSeconds } from "./format";

function VariantCard(props: { variant: Variant; index: number; clipName: (id: string) => string }) {
  const v = () => props.variant;
  const mp4 = () => v().outputs[0];
  return (
    <li class="variant-card" data-testid="variant" data-status={v().status}>
      <div class="variant-card__head">
        <span class="variant-card__title">Variant {props.index + 1}</span>
        <StatusBadge status={v().status} />
      </div>
      <Show when={mp4()} fallback={<div class="variant-card__pending">{v().error ?? (v().status === "failed" ? "Failed" : "Being mixed…")}</div>}>
        {(out) => (
          <>
            {/* biome-ignore lint/a11y/useMediaCaption: a variant is cut from the user's own clips, which bring no caption track to cut with it */}
            <video class="variant-card__video" src={`${out().url}#t=0.001`} controls preload="metadata" playsinline data-testid="variant-video" />
            <p class="clip-card__meta">
              {formatSeconds(out().durationMs)} · {out().width}×{out().height} · {formatBytes(out().sizeBytes)}
            </p>
            <a class="button button--secondary button--small" href={out().url} download={`variant-${props.index + 1}.mp4`}>
              Download MP4
            </a>
          </>
        )}
      </Show>
      <p class="variant-card__sequence" title="The segments this variant uses, in order">
        {v()
          .sequence.map((s) => `${props.clipName(s.clipId)} ${formatSeconds(s.startMs)}–${formatSeconds(s.endMs)}`)
          .join(" → ")}
      </p>
    </li>
  );
}

export function VariantsPanel(props: { generationId: string; clips: Clip[] }) {
  const { generation } = createGenerationStore(() => props.generationId);
  const [variants, { refetch }] = createResource(() => props.generationId, loadVariants);
  const again = coalesce(refetch);
  onCleanup(realtime.on("generation.progress", (e) => e.generationId === props.generationId && again()));
  onCleanup(realtime.on("generation.finished", (e) => e.generationId === props.generationId && again()));
  onCleanup(realtime.onResync(again));
  const clipName = (id: string) => props.clips.find((c) => c.id === id)?.name ?? "clip";
  const g = () => (generation.state === "ready" || generation.state === "refreshing" ? generation.latest : undefined);

  return (
    <Panel title="Variants">
      <div class="stack stack--tight">
        <Show when={g()}>
          {(gen) => (
            <>
              <div class="variant-summary">
                <StatusBadge status={gen().status} />
                <span class="num" data-testid="variants-done">
                  {gen().completed} of {gen().total} done
                </span>
                <Show when={gen().charged !== null}>
                  <span class="num">· charged {gen().charged} credits</span>
                </Show>
              </div>
              <ProgressBar label="Variants finished" total={gen().total} completed={gen().completed} failed={gen().failed} />
            </>
          )}
        </Show>
        <Show when={variants.error}>
          <ErrorNotice error={variants.error} onRetry={() => void refetch()} />
        </Show>
        <ul class="variant-grid" data-testid="variants">
          <For each={variants.latest ?? []}>{(variant, i) => <VariantCard variant={variant} index={i()} clipName={clipName} />}</For>
        </ul>
      </div>
    </Panel>
  );
}
