"use client";

import { useTranslations } from "next-intl";
import { RouteError } from "@/app/components/route-error";

export default function AdminError({ error, retry }: { error: unknown; retry: () => void }) {
  const t = useTranslations("adminClient.errorPage");
  return <RouteError error={error} retry={retry} back={{ href: "/admin", label: t("back") }} />;
}
