import Link from "next/link";
import { portalEnv, marketplaceEnv } from "@/lib/env";

export const dynamic = "force-dynamic";

export default function HomePage() {
  const { PRODUCT_NAME } = portalEnv();
  const apiBase = marketplaceEnv().MARKETPLACE_API_BASE;
  const sandbox = new URL(apiBase).hostname !== "marketplaceapi.microsoft.com" ? new URL(apiBase).origin : null;
  return (
    <div className="space-y-6">
      <section className="rounded-lg border border-slate-200 bg-white p-8 shadow-sm">
        <h1 className="text-3xl font-semibold">{PRODUCT_NAME} on the Microsoft marketplace</h1>
        <p className="mt-3 max-w-2xl text-slate-700">
          Bought {PRODUCT_NAME} in Azure Marketplace or AppSource? Choose “Configure account” on your subscription in
          the Azure portal or the Microsoft 365 admin center: it brings you to this portal to activate it.
        </p>
        <div className="mt-6 flex flex-wrap gap-3">
          <Link
            href="/account"
            className="rounded-md bg-brand-600 px-5 py-2.5 font-medium text-white hover:bg-brand-700"
          >
            My subscriptions
          </Link>
        </div>
      </section>
      {sandbox ? (
        <section className="rounded-lg border border-dashed border-violet-300 bg-violet-50 p-6 text-sm text-violet-950">
          <h2 className="font-semibold">Local sandbox</h2>
          <p className="mt-1">
            This portal talks to the local stand-in for Microsoft at <code>{sandbox}</code>. Start a test purchase on
            its{" "}
            <a className="font-medium underline" href={`${sandbox}/purchase`}>
              purchase page
            </a>
            .
          </p>
        </section>
      ) : null}
    </div>
  );
}
