import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { getTranslations } from "next-intl/server";
import { requireBuyer } from "@/lib/auth/require-buyer";
import { retentionEnv } from "@/lib/env";
import { describeCancellation } from "@/lib/subscriptions/describe-cancellation";
import { permissionWords } from "@/lib/subscriptions/subscription-words";
import { cancelSubscription } from "../actions";
import { CancelForm } from "../change-forms";

export const dynamic = "force-dynamic";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("account.cancel");
  return { title: t("metaTitle") };
}

export default async function CancelPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const actor = await requireBuyer();
  const view = await describeCancellation({ subscriptionId: id, actor });
  if (!view) notFound();
  const { subscription, permission, pending } = view;
  const [t, words] = await Promise.all([getTranslations("account.cancel"), getTranslations()]);
  return (
    <section
      className="mx-auto max-w-xl space-y-4 rounded-lg border border-red-200 bg-white p-6 shadow-sm"
      aria-labelledby="cancel-title"
    >
      <h1 id="cancel-title" className="text-2xl font-semibold break-words">
        {t("title", { name: subscription.name })}
      </h1>
      {!permission.allowed ? (
        <p role="alert">{permissionWords(words, permission.reason)}</p>
      ) : pending ? (
        <p role="alert">{t("pending")}</p>
      ) : (
        <>
          <ul className="list-disc space-y-1 pl-5 text-slate-700">
            <li>{t("access")}</li>
            <li>{t("data", { days: retentionEnv().DATA_RETENTION_DAYS })}</li>
            <li>{t("final")}</li>
            <li>{t("billing")}</li>
          </ul>
          <CancelForm action={cancelSubscription.bind(null, subscription.id)} name={subscription.name} />
        </>
      )}
      <Link
        href={`/account/subscriptions/${subscription.id}`}
        className="inline-block text-sm text-brand-700 hover:underline"
      >
        {t("keep")}
      </Link>
    </section>
  );
}
