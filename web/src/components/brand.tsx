/** The Lumiku mark and wordmark. */
export function BrandMark(props: { size?: number }) {
  return (
    <svg class="brand-mark" width={props.size ?? 28} height={props.size ?? 28} viewBox="0 0 32 32" aria-hidden="true">
      <rect class="brand-mark__tile" width="32" height="32" rx="8" />
      <path d="M11 8v16h11" fill="none" stroke="#fff" stroke-width="3.5" stroke-linecap="round" stroke-linejoin="round" />
      <circle cx="22" cy="10" r="2.5" fill="#fff" />
    </svg>
  );
}
