import { useFormatter, useLocale, useTranslations } from "next-intl";
import { localize, type AccountConfigEntry, type DisplayValue } from "@/lib/catalog";

/**
 * A stored account configuration, labelled as the catalog's form labels it (lib/catalog
 * describeAccountConfig), in the reader's language where the catalog gives one.
 */
export function AccountConfigList({ entries, className = "" }: { entries: AccountConfigEntry[]; className?: string }) {
  const locale = useLocale();
  const t = useTranslations();
  const format = useFormatter();
  const inWords = (value: DisplayValue) => {
    switch (value.kind) {
      case "empty":
        return t("common.none");
      case "yes":
        return t("components.accountConfig.yes");
      case "no":
        return t("components.accountConfig.no");
      case "number":
        return format.number(value.value);
      case "text":
        return localize(value.text, locale);
    }
  };
  return (
    <dl
      className={`grid grid-cols-1 gap-x-4 gap-y-1 text-sm sm:grid-cols-[max-content_1fr] ${className}`}
      data-testid="account-config"
    >
      {entries.map((entry) => (
        <div key={entry.name} className="contents">
          <dt className="font-medium text-slate-600">{localize(entry.label, locale)}</dt>
          <dd className="break-words" data-config-field={entry.name}>
            {inWords(entry.value)}
          </dd>
        </div>
      ))}
    </dl>
  );
}
