import { useTranslations } from "next-intl";
import { NotFoundPanel } from "@/app/components/not-found-panel";

export default function LandingNotFound() {
  const t = useTranslations();
  return (
    <NotFoundPanel message={t("landing.notFound")} link={{ href: "/account", label: t("common.mySubscriptions") }} />
  );
}
