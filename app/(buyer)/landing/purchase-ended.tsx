import { useTranslations } from "next-intl";
import type { PurchaseView } from "@/lib/subscriptions/resolve-purchase";

/**
 * The landing page for an `Unsubscribed` subscription: a purchase that ended before it was ever
 * activated (Microsoft let it expire, or it was cancelled while pending) says so plainly, with the
 * way forward — buy again; one that was live was cancelled.
 */
export function PurchaseEnded({
  view,
  product,
}: {
  view: Pick<PurchaseView, "endedBeforeActivation">;
  product: string;
}) {
  const t = useTranslations("landing");
  const key = view.endedBeforeActivation ? "expired" : "cancelled";
  return (
    <section
      role="status"
      className="rounded-lg border border-slate-200 bg-white p-6 shadow-sm"
      data-testid={`purchase-${key}`}
    >
      <h2 className="text-lg font-semibold">{t(`${key}.title`)}</h2>
      <p className="mt-1 text-slate-700">{t(`${key}.body`, { product })}</p>
    </section>
  );
}
