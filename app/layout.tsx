import type { Metadata } from "next";
import Link from "next/link";
import { cookies } from "next/headers";
import { connection } from "next/server";
import { getLocale, getTranslations } from "next-intl/server";
import { Suspense, type ReactNode } from "react";
import { AccountMenu } from "@/app/components/account-menu";
import { AlertTextsProvider } from "@/app/components/alert-texts";
import { LanguageSwitcher } from "@/app/components/language-switcher";
import { TimeZoneCookie } from "@/app/components/time-zone-cookie";
import { portalEnv } from "@/lib/env";
import { TIME_ZONE_COOKIE } from "@/lib/i18n/locales";
import "./globals.css";

export async function generateMetadata(): Promise<Metadata> {
  const { PRODUCT_NAME } = portalEnv();
  const t = await getTranslations("common");
  return {
    title: { default: PRODUCT_NAME, template: `%s · ${PRODUCT_NAME}` },
    description: t("metaDescription", { product: PRODUCT_NAME }),
  };
}

export default async function RootLayout({ children }: { children: ReactNode }) {
  // Every page per request: the Content-Security-Policy's nonce (proxy.ts) exists only then, and a
  // page prerendered at build time would carry scripts without it, which the browser blocks.
  await connection();
  const { PRODUCT_NAME } = portalEnv();
  const [locale, t, alerts, cookieStore] = await Promise.all([
    getLocale(),
    getTranslations("common"),
    getTranslations("alerts"),
    cookies(),
  ]);
  return (
    <html lang={locale}>
      <body className="min-h-screen font-sans">
        {/* No next-intl provider here: only the groups whose client components translate have one
            (app/(account)/layout.tsx, app/(admin)/layout.tsx), so the other pages (the landing)
            ship no message runtime. What every page's error boundaries and alerts say comes as
            plain strings. */}
        <AlertTextsProvider
          texts={{
            reference: alerts("reference"),
            homePage: alerts("homePage"),
            tryAgain: alerts("tryAgain"),
            routeError: { title: alerts("routeError.title"), message: alerts("routeError.message") },
          }}
        >
          <TimeZoneCookie known={cookieStore.get(TIME_ZONE_COOKIE)?.value} />
          <a
            href="#main"
            className="sr-only focus:not-sr-only focus:absolute focus:left-2 focus:top-2 focus:rounded focus:bg-white focus:px-3 focus:py-2"
          >
            {t("skipToContent")}
          </a>
          <header className="border-b border-slate-200 bg-white">
            <div className="mx-auto flex max-w-4xl items-center justify-between gap-4 px-4 py-3">
              <Link href="/" className="flex items-center gap-2 font-semibold text-slate-900">
                <span aria-hidden className="inline-block h-6 w-6 rounded bg-brand-600" />
                {PRODUCT_NAME}
              </Link>
              <nav
                aria-label={t("mainNavigation")}
                className="flex flex-wrap items-center justify-end gap-x-4 gap-y-1 text-sm"
              >
                <Link href="/account" className="text-brand-700 hover:underline">
                  {t("mySubscriptions")}
                </Link>
                <LanguageSwitcher />
                <Suspense fallback={null}>
                  <AccountMenu />
                </Suspense>
              </nav>
            </div>
          </header>
          <main id="main" className="mx-auto max-w-4xl px-4 py-8">
            {children}
          </main>
          <footer className="mx-auto max-w-4xl px-4 pb-8 text-xs text-slate-500">{t("footer")}</footer>
        </AlertTextsProvider>
      </body>
    </html>
  );
}
