"use client";

import { useTranslations } from "next-intl";
import { ShownOnce } from "../_components/shown-once";

/** A signing secret, shown once: copy it now, it cannot be shown again. */
export function SecretPanel({
  title,
  secret,
  children,
}: {
  title: string;
  secret: string;
  children?: React.ReactNode;
}) {
  const t = useTranslations("adminClient.secretPanel");
  return (
    <ShownOnce
      title={`${title} ${t("copyNow")}`}
      label={t("label")}
      value={secret}
      inputId="new-endpoint-secret"
      testIds={{ panel: "new-secret-panel", value: "new-endpoint-secret" }}
    >
      <p className="mt-2 text-sm break-words text-emerald-900">
        {t.rich("verify", { code: (chunks) => <code className="break-all">{chunks}</code> })}
      </p>
      {children}
    </ShownOnce>
  );
}
