import { useTranslations } from "next-intl";
import type { PurchaseView } from "@/lib/subscriptions/resolve-purchase";

const colours: Record<PurchaseView["status"], string> = {
  NotStarted: "bg-slate-100 text-slate-800 ring-slate-300",
  PendingFulfillmentStart: "bg-amber-50 text-amber-900 ring-amber-300",
  Subscribed: "bg-emerald-50 text-emerald-900 ring-emerald-300",
  Suspended: "bg-orange-50 text-orange-900 ring-orange-300",
  Unsubscribed: "bg-slate-100 text-slate-700 ring-slate-300",
};

export function StatusBadge({ status }: { status: PurchaseView["status"] }) {
  const t = useTranslations("components.status");
  return (
    <span
      data-testid="subscription-status"
      data-status={status}
      className={`inline-flex shrink-0 items-center whitespace-nowrap rounded-full px-2.5 py-0.5 text-sm font-medium ring-1 ${colours[status]}`}
    >
      {t(status)}
    </span>
  );
}
