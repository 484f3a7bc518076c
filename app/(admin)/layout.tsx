import type { Metadata } from "next";
import { NextIntlClientProvider } from "next-intl";
import { getMessages, getTimeZone, getTranslations } from "next-intl/server";
import type { ReactNode } from "react";
import { requirePublisherAdmin } from "@/lib/auth/require-publisher-admin";
import { consoleClientMessages } from "@/lib/i18n/client-messages";
import { AdminNav } from "./admin/_components/admin-nav";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("admin.meta");
  return { title: { default: t("title"), template: t("template") }, robots: { index: false } };
}

/** The publisher admin console. Everyone but publisher admins gets a 404 (each page and action checks again). */
export default async function AdminLayout({ children }: { children: ReactNode }) {
  const admin = await requirePublisherAdmin();
  const [t, messages, timeZone] = await Promise.all([getTranslations("admin.layout"), getMessages(), getTimeZone()]);
  return (
    // Wider than the buyer pages (tables), centred on the viewport inside the root layout's column.
    // Japanese lines break between phrases, not inside words; column headings stay on one line
    // (a wide table scrolls inside its own box).
    <div className="relative left-1/2 w-[min(100vw-2rem,80rem)] -translate-x-1/2 [word-break:auto-phrase] [&_th]:whitespace-nowrap">
      <NextIntlClientProvider messages={consoleClientMessages(messages)}>
        <div className="mb-6 flex flex-wrap items-center justify-between gap-3 border-b border-slate-200 pb-3">
          <AdminNav />
          <p className="text-xs text-slate-500">
            {t("signedInAs", { name: admin.email ?? admin.name ?? admin.oid })}
            <span className="block" data-testid="console-time-zone">
              {t("timeZone", { zone: timeZone })}
            </span>
          </p>
        </div>
        {children}
      </NextIntlClientProvider>
    </div>
  );
}
