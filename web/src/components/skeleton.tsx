/** A placeholder of a fixed size, so content replaces it without moving the layout. */
export function Skeleton(props: { width: string; height: string; class?: string }) {
  return <span class={`skeleton ${props.class ?? ""}`} style={{ width: props.width, height: props.height }} aria-hidden="true" />;
}
