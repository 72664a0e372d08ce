/** An order's status as a coloured badge. */
import type { Order } from "../stores/billing";

const LABEL: Record<Order["status"], string> = { pending: "Awaiting payment", paid: "Paid", failed: "Failed", expired: "Expired" };

export function OrderBadge(props: { status: Order["status"] }) {
  return (
    <span class={`badge badge--status badge--order-${props.status}`} data-testid="order-status">
      {LABEL[props.status]}
    </span>
  );
}
