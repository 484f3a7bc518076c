import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { requireBuyer } from "@/lib/auth/require-buyer";
import { retentionEnv } from "@/lib/env";
import { describeCancellation } from "@/lib/subscriptions/describe-cancellation";
import { cancelSubscription } from "../actions";
import { CancelForm } from "../change-forms";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Cancel subscription" };

export default async function CancelPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const actor = await requireBuyer();
  const view = await describeCancellation({ subscriptionId: id, actor });
  if (!view) notFound();
  const { subscription, permission, pending } = view;
  return (
    <section
      className="mx-auto max-w-xl space-y-4 rounded-lg border border-red-200 bg-white p-6 shadow-sm"
      aria-labelledby="cancel-title"
    >
      <h1 id="cancel-title" className="text-2xl font-semibold">
        Cancel {subscription.name}?
      </h1>
      {!permission.allowed ? (
        <p role="alert">{permission.reason}</p>
      ) : pending ? (
        <p role="alert">A change is already in progress. Wait until it completes.</p>
      ) : (
        <>
          <ul className="list-disc space-y-1 pl-5 text-slate-700">
            <li>
              Microsoft stops billing, and access ends for everyone in your organisation once Microsoft confirms the
              cancellation.
            </li>
            <li>Your data is kept for {retentionEnv().DATA_RETENTION_DAYS} days after cancellation, then deleted.</li>
            <li>A cancelled subscription cannot be reactivated; you can buy the offer again later.</li>
            <li>Cancelling within 72 hours of purchase is free; later, the current period is billed.</li>
          </ul>
          <CancelForm action={cancelSubscription.bind(null, subscription.id)} name={subscription.name} />
        </>
      )}
      <Link
        href={`/account/subscriptions/${subscription.id}`}
        className="inline-block text-sm text-brand-700 hover:underline"
      >
        Keep my subscription
      </Link>
    </section>
  );
}
