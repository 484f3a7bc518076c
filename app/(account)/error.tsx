"use client";

import { useTranslations } from "next-intl";
import { RouteError } from "@/app/components/route-error";

export default function AccountError({ error, retry }: { error: unknown; retry: () => void }) {
  const t = useTranslations("common");
  return <RouteError error={error} retry={retry} back={{ href: "/account", label: t("mySubscriptions") }} />;
}
