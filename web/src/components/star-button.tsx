/** The favourite star of one output: a toggle button whose pressed state is the favourite flag. */
export function StarButton(props: { favorite: boolean; name: string; onToggle: () => void; class?: string }) {
  return (
    <button
      type="button"
      class={`star ${props.class ?? ""}`}
      classList={{ "is-on": props.favorite }}
      aria-pressed={props.favorite}
      aria-label={`Favourite: ${props.name}`}
      data-testid="star"
      onClick={() => props.onToggle()}
    >
      <svg viewBox="0 0 24 24" width="18" height="18" aria-hidden="true">
        <path
          d="M12 3.5l2.6 5.3 5.9.9-4.3 4.1 1 5.8L12 16.9l-5.2 2.7 1-5.8-4.3-4.1 5.9-.9z"
          fill={props.favorite ? "currentColor" : "none"}
          stroke="currentColor"
          stroke-width="1.8"
          stroke-linejoin="round"
        />
      </svg>
    </button>
  );
}
