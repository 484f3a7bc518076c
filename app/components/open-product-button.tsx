import { useTranslations } from "next-intl";

/**
 * "Open <product>": a plain form (no JavaScript needed) posting to the hand-off route, which signs
 * the buyer into the product with a short-lived token (docs/decisions/0014).
 */
export function OpenProductButton({
  subscriptionId,
  productName,
  className,
}: {
  subscriptionId: string;
  productName: string;
  className?: string;
}) {
  const t = useTranslations("components");
  return (
    <form method="post" action={`/api/handoff/${encodeURIComponent(subscriptionId)}`} className="inline">
      <button
        type="submit"
        data-testid="open-product"
        className={
          className ??
          "rounded-md bg-brand-600 px-5 py-2.5 font-medium text-white shadow-sm hover:bg-brand-700 focus-visible:outline-offset-2"
        }
      >
        {t("openProduct", { product: productName })}
      </button>
    </form>
  );
}
