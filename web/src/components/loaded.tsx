/** A resource's three faces: a fixed-size skeleton, its error with Retry, or its value; never a made-up default. */
import { Match, Switch, type Accessor, type JSX, type Resource } from "solid-js";
import { ErrorNotice } from "./error-notice";

export function Loaded<T>(props: {
  of: Resource<T>;
  skeleton: JSX.Element;
  onRetry: () => void;
  /** Renders some errors as something else (e.g. a 404 as "not offered yet"); undefined falls through. */
  special?: (error: unknown) => JSX.Element | undefined;
  children: (value: Accessor<T>) => JSX.Element;
}) {
  // Only touched once resolved, so reading it never suspends the page or throws.
  const value = () => {
    const state = props.of.state;
    return state === "ready" || state === "refreshing" ? props.of.latest : undefined;
  };
  const special = () => (props.of.state === "errored" ? props.special?.(props.of.error) : undefined);
  return (
    <Switch fallback={props.skeleton}>
      <Match when={value() !== undefined}>{props.children(value as Accessor<T>)}</Match>
      <Match when={special()}>{special()}</Match>
      <Match when={props.of.state === "errored"}>
        <ErrorNotice error={props.of.error} onRetry={props.onRetry} />
      </Match>
    </Switch>
  );
}
