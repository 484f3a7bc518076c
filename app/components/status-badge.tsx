import type { PurchaseView } from "@/lib/subscriptions/resolve-purchase";

const labels: Record<PurchaseView["status"], { text: string; className: string }> = {
  NotStarted: { text: "Not started", className: "bg-slate-100 text-slate-800 ring-slate-300" },
  PendingFulfillmentStart: { text: "Waiting for activation", className: "bg-amber-50 text-amber-900 ring-amber-300" },
  Subscribed: { text: "Active", className: "bg-emerald-50 text-emerald-900 ring-emerald-300" },
  Suspended: { text: "Suspended", className: "bg-orange-50 text-orange-900 ring-orange-300" },
  Unsubscribed: { text: "Cancelled", className: "bg-slate-100 text-slate-700 ring-slate-300" },
};

export function StatusBadge({ status }: { status: PurchaseView["status"] }) {
  const label = labels[status];
  return (
    <span
      data-testid="subscription-status"
      data-status={status}
      className={`inline-flex items-center rounded-full px-2.5 py-0.5 text-sm font-medium ring-1 ${label.className}`}
    >
      {label.text}
    </span>
  );
}
