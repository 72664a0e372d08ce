/** A generation's or an item's status as a coloured badge. */

const LABEL: Record<string, string> = {
  queued: "Queued",
  processing: "Running",
  completed: "Done",
  partial: "Partly done",
  failed: "Failed",
  cancelled: "Cancelled",
};

export const statusLabel = (status: string) => LABEL[status] ?? status;

export function StatusBadge(props: { status: string }) {
  return (
    <span class={`badge badge--status badge--${props.status}`} data-testid="status">
      {statusLabel(props.status)}
    </span>
  );
}
