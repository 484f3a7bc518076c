import { getTranslations } from "next-intl/server";
import { NotFoundPanel } from "@/app/components/not-found-panel";

/** A subscription this account may not see looks exactly like one that does not exist. */
export default async function AccountNotFound() {
  const [t, common] = await Promise.all([getTranslations("account"), getTranslations("common")]);
  return (
    <NotFoundPanel
      title={t("notFoundTitle")}
      message={t("notFound")}
      link={{ href: "/account", label: common("mySubscriptions") }}
    />
  );
}
