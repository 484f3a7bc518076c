import { useTranslations } from "next-intl";
import { NotFoundPanel } from "./components/not-found-panel";

export default function NotFound() {
  const t = useTranslations();
  return (
    <NotFoundPanel
      title={t("notFound.title")}
      message={t("notFound.message")}
      link={{ href: "/account", label: t("common.mySubscriptions") }}
    />
  );
}
