import { getTranslations } from "next-intl/server";
import { NotFoundPanel } from "@/app/components/not-found-panel";

/**
 * Inside the console's layout, so only admins see it: everyone else is refused by the layout
 * itself and gets the root not-found page, which says nothing about the console.
 */
export default async function AdminNotFound() {
  const t = await getTranslations("admin.notFound");
  return <NotFoundPanel title={t("title")} message={t("message")} link={{ href: "/admin", label: t("home") }} />;
}
