import Link from "next/link";
import { useTranslations } from "next-intl";
import { portalEnv, marketplaceEnv } from "@/lib/env";

export const dynamic = "force-dynamic";

export default function HomePage() {
  const t = useTranslations();
  const { PRODUCT_NAME } = portalEnv();
  const apiBase = marketplaceEnv().MARKETPLACE_API_BASE;
  const sandbox = new URL(apiBase).hostname !== "marketplaceapi.microsoft.com" ? new URL(apiBase).origin : null;
  return (
    <div className="space-y-6">
      <section className="rounded-lg border border-slate-200 bg-white p-8 shadow-sm">
        <h1 className="text-3xl font-semibold [word-break:auto-phrase]">
          {t("home.title", { product: PRODUCT_NAME })}
        </h1>
        <p className="mt-3 max-w-2xl text-slate-700">{t("home.intro", { product: PRODUCT_NAME })}</p>
        <div className="mt-6 flex flex-wrap gap-3">
          <Link
            href="/account"
            className="rounded-md bg-brand-600 px-5 py-2.5 font-medium text-white hover:bg-brand-700"
          >
            {t("common.mySubscriptions")}
          </Link>
        </div>
      </section>
      {sandbox ? (
        <section className="rounded-lg border border-dashed border-violet-300 bg-violet-50 p-6 text-sm text-violet-950">
          <h2 className="font-semibold">{t("home.sandbox.title")}</h2>
          <p className="mt-1">
            {t.rich("home.sandbox.body", {
              url: sandbox,
              code: (chunks) => <code className="break-all">{chunks}</code>,
              link: (chunks) => (
                <a className="font-medium underline" href={`${sandbox}/purchase`}>
                  {chunks}
                </a>
              ),
            })}
          </p>
        </section>
      ) : null}
    </div>
  );
}
