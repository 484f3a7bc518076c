import { getTranslations } from "next-intl/server";

/**
 * Marks a purchase made through the offer's preview (Partner Center's preview audience; offer id
 * `<offer>-preview`, marketplace-contract.md §15.26): a tester's purchase, not a customer's.
 */
export async function PreviewBadge() {
  const t = await getTranslations("admin.previewBadge");
  return (
    <span
      data-testid="preview-purchase"
      title={t("title")}
      className="ml-2 inline-flex items-center rounded-full bg-violet-50 px-2 py-0.5 text-xs font-medium text-violet-900 ring-1 ring-violet-300"
    >
      {t("label")}
    </span>
  );
}
