import type { Metadata } from "next";
import Link from "next/link";
import { AutoRefresh } from "@/app/components/auto-refresh";
import { ErrorPanel } from "@/app/components/error-panel";
import { OpenProductButton } from "@/app/components/open-product-button";
import { StatusBadge } from "@/app/components/status-badge";
import { requireBuyer } from "@/lib/auth/require-buyer";
import { AppError } from "@/lib/errors";
import { productTarget } from "@/lib/handoff/product-target";
import { findOwnSubscription } from "@/lib/subscriptions/find-own-subscription";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Subscription activated" };

export default async function ActivatedPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const { subscription: id } = await searchParams;
  const actor = await requireBuyer();
  const subscription = typeof id === "string" ? await findOwnSubscription({ subscriptionId: id, actor }) : null;
  if (!subscription) {
    const error = new AppError("not_owner");
    return <ErrorPanel title="Subscription not found" message={error.message} />;
  }
  const product = productTarget(subscription.offerId, subscription.planId);
  const PRODUCT_NAME = product.name;
  const active = subscription.status === "Subscribed";
  // Microsoft activated it at purchase (docs/decisions/0008): what the buyer just did is the account setup.
  const setUp = active && subscription.activatedBy === "marketplace" && subscription.setupState === "complete";
  return (
    <section className="rounded-lg border border-emerald-200 bg-white p-8 shadow-sm" aria-labelledby="done-title">
      {active ? null : <AutoRefresh />}
      <div className="flex flex-wrap items-center justify-between gap-3">
        <h1 id="done-title" className="text-2xl font-semibold">
          {setUp
            ? "Your account is set up"
            : active
              ? "Your subscription is active"
              : "Microsoft is finishing the activation"}
        </h1>
        <StatusBadge status={subscription.status} />
      </div>
      <p className="mt-3 text-slate-700">
        {setUp
          ? `${subscription.name} is ready to use. The subscription has been active since your purchase; you manage seats and plans from ${PRODUCT_NAME}.`
          : active
            ? `${subscription.name} is ready. Microsoft now bills this subscription; you manage seats and plans from ${PRODUCT_NAME}.`
            : "Microsoft accepted the activation and is processing it. This page updates by itself; you can also close it — we finish the setup in the background."}
      </p>
      {active ? (
        <div className="mt-6">
          <h2 className="font-semibold">Next step</h2>
          <p className="mt-1 text-slate-700">Open {product.name} and invite your team.</p>
          <div className="mt-4 flex flex-wrap gap-3">
            <OpenProductButton subscriptionId={subscription.id} productName={product.name} />
            <Link
              href="/account"
              className="rounded-md border border-slate-300 px-5 py-2.5 font-medium text-slate-700 hover:bg-slate-50"
            >
              Manage subscriptions
            </Link>
          </div>
        </div>
      ) : (
        <p role="status" className="mt-4 flex items-center gap-2 text-sm text-slate-600">
          <span
            aria-hidden
            className="h-4 w-4 animate-spin rounded-full border-2 border-slate-300 border-t-brand-600"
          />
          Waiting for Microsoft…
        </p>
      )}
    </section>
  );
}
