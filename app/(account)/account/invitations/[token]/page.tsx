import type { Metadata } from "next";
import Link from "next/link";
import { getTranslations } from "next-intl/server";
import { ErrorPanel } from "@/app/components/error-panel";
import { requireBuyer } from "@/lib/auth/require-buyer";
import { AppError, isAppError } from "@/lib/errors";
import { describeInvite } from "@/lib/colleagues/describe-invite";
import { acceptInvitation } from "./actions";
import { AcceptForm } from "./accept-form";
import { describeOffer } from "@/lib/catalog";

export const dynamic = "force-dynamic";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("account.invitation");
  return { title: t("metaTitle") };
}

/**
 * Under the (account) guard on purpose: an invitation is accepted by a signed-in user of the
 * subscription's organisation (by tid/oid), so a signed-out visitor has nothing to see here yet.
 * The guard sends them to sign in and back to this exact URL, token included (proxy.ts passes the
 * URL on; e2e/colleagues.spec.ts opens the link signed out).
 */
export default async function InvitationPage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  const actor = await requireBuyer();
  const [t, common, alerts] = await Promise.all([
    getTranslations("account.invitation"),
    getTranslations("common"),
    getTranslations("alerts"),
  ]);
  let invite: Awaited<ReturnType<typeof describeInvite>>;
  try {
    invite = await describeInvite({ token, actor });
  } catch (error) {
    const appError = isAppError(error) ? error : new AppError("internal", { cause: error });
    if (!isAppError(error)) throw error;
    return (
      <ErrorPanel
        title={appError.title}
        message={appError.message}
        labels={{ reference: alerts("reference"), homePage: alerts("homePage") }}
      >
        <Link href="/account" className="rounded-md bg-brand-600 px-4 py-2 text-sm font-medium text-white">
          {common("mySubscriptions")}
        </Link>
      </ErrorPanel>
    );
  }
  return (
    <section aria-labelledby="invite-title" className="rounded-lg border border-slate-200 bg-white p-8 shadow-sm">
      <h1 id="invite-title" className="text-2xl font-semibold break-words">
        {t("title", { name: invite.subscriptionName })}
      </h1>
      <p className="mt-3 break-words text-slate-700">
        {t.rich("body", {
          inviter: invite.invitedBy ?? t("aColleague"),
          name: invite.subscriptionName,
          offer: describeOffer(invite.offerId).displayName,
          who: actor.email ?? actor.name ?? t("thisAccount"),
          b: (chunks) => <strong>{chunks}</strong>,
        })}
      </p>
      {invite.alreadyHasAccess ? (
        <div className="mt-6">
          <p>{t("alreadyHasAccess")}</p>
          <Link
            href={`/account/subscriptions/${invite.subscriptionId}`}
            className="mt-3 inline-block rounded-md bg-brand-600 px-5 py-2.5 font-medium text-white"
          >
            {t("open")}
          </Link>
        </div>
      ) : (
        <AcceptForm action={acceptInvitation.bind(null, token)} />
      )}
    </section>
  );
}
