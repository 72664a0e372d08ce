/** A loop on its way and then playing: live progress, the animated WebP in an <img>, its poster, downloads. */
import { A } from "@solidjs/router";
import { Match, Show, Switch } from "solid-js";
import { Loaded } from "../../components/loaded";
import { Panel } from "../../components/panel";
import { ProgressBar } from "../../components/progress-bar";
import { Skeleton } from "../../components/skeleton";
import { StatusBadge } from "../../components/status-badge";
import { formatCredits } from "../../lib/format";
import { createGenerationStore, isFinished, type GenerationItem } from "../../stores/generation";

type Listed = { format: string; url: string; width: number; height: number; frames?: number | undefined; durationMs?: number | undefined };

/** The animation among a loop item's listed outputs. */
const animationOf = (item: GenerationItem): Listed | undefined => (Array.isArray(item.outputs) ? item.outputs.find((o) => o.format === "webp") : undefined);

export function LoopResult(props: { generationId: string }) {
  const store = createGenerationStore(() => props.generationId);
  return (
    <Panel title="Your loop">
      <Loaded of={store.generation} onRetry={store.refetch} skeleton={<Skeleton width="100%" height="12rem" />}>
        {(g) => {
          const item = () => g().items?.[0];
          const animation = () => {
            const i = item();
            return i ? animationOf(i) : undefined;
          };
          return (
            <div class="stack stack--tight">
              <div class="gen-summary__head">
                <StatusBadge status={g().status} />
                <p class="gen-summary__counts" aria-live="polite">
                  {isFinished(g())
                    ? g().status === "completed"
                      ? `Done · charged ${formatCredits(g().charged ?? 0)} credits`
                      : `Not made · ${formatCredits(g().refunded ?? 0)} credits back`
                    : "Rendering frame by frame…"}
                </p>
              </div>
              <ProgressBar label="Loop progress" total={g().total} completed={g().completed} failed={g().failed + g().cancelled} />
              <Switch>
                <Match when={item()?.status === "completed" && animation()}>
                  {(a) => (
                    <div class="loop-result">
                      <img class="loop-result__play" src={a().url} width={a().width} height={a().height} alt="The loop, playing" data-testid="loop-animation" />
                      <div class="loop-result__side">
                        <Show when={item()?.posterUrl}>
                          {(poster) => (
                            <figure class="loop-result__poster">
                              <img src={poster()} alt="Poster frame" data-testid="loop-poster" />
                              <figcaption class="field__hint">Poster frame</figcaption>
                            </figure>
                          )}
                        </Show>
                        <p class="field__hint" data-testid="loop-facts">
                          {a().width}×{a().height} · {a().frames} frames · {((a().durationMs ?? 0) / 1000).toFixed(0)} s, plays forever
                        </p>
                        <a class="button button--primary button--small" href={a().url} download={`lumiku-loop-${g().id.slice(0, 8)}.webp`}>
                          Download WebP
                        </a>
                        <Show when={item()?.posterUrl}>
                          {(poster) => (
                            <a class="button button--secondary button--small" href={poster()} download={`lumiku-loop-${g().id.slice(0, 8)}-poster.jpg`}>
                              Download poster
                            </a>
                          )}
                        </Show>
                      </div>
                    </div>
                  )}
                </Match>
                <Match when={item()?.status === "failed"}>
                  <p class="notice notice--warning" role="status">
                    {item()?.error ?? "The loop could not be made."}
                  </p>
                </Match>
              </Switch>
              <A class="panel__link" href={`/generations/${g().id}`}>
                Open in generations
              </A>
            </div>
          );
        }}
      </Loaded>
    </Panel>
  );
}
