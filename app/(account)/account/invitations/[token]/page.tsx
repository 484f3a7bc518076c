import type { Metadata } from "next";
import Link from "next/link";
import { ErrorPanel } from "@/app/components/error-panel";
import { requireBuyer } from "@/lib/auth/require-buyer";
import { AppError, isAppError } from "@/lib/errors";
import { describeInvite } from "@/lib/colleagues/describe-invite";
import { acceptInvitation } from "./actions";
import { AcceptForm } from "./accept-form";
import { describeOffer } from "@/lib/catalog";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Invitation" };

/**
 * Under the (account) guard on purpose: an invitation is accepted by a signed-in user of the
 * subscription's organisation (by tid/oid), so a signed-out visitor has nothing to see here yet.
 * The guard sends them to sign in and back to this exact URL, token included (proxy.ts passes the
 * URL on; e2e/colleagues.spec.ts opens the link signed out).
 */
export default async function InvitationPage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  const actor = await requireBuyer();
  let invite: Awaited<ReturnType<typeof describeInvite>>;
  try {
    invite = await describeInvite({ token, actor });
  } catch (error) {
    const appError = isAppError(error) ? error : new AppError("internal", { cause: error });
    if (!isAppError(error)) throw error;
    return (
      <ErrorPanel title={appError.title} message={appError.message}>
        <Link href="/account" className="rounded-md bg-brand-600 px-4 py-2 text-sm font-medium text-white">
          My subscriptions
        </Link>
      </ErrorPanel>
    );
  }
  return (
    <section aria-labelledby="invite-title" className="rounded-lg border border-slate-200 bg-white p-8 shadow-sm">
      <h1 id="invite-title" className="text-2xl font-semibold">
        You are invited to manage {invite.subscriptionName}
      </h1>
      <p className="mt-3 text-slate-700">
        {invite.invitedBy ?? "A colleague"} invites you to manage the subscription{" "}
        <strong>{invite.subscriptionName}</strong> ({describeOffer(invite.offerId).displayName}): see its plan and
        seats, change them, or cancel it. You accept as <strong>{actor.email ?? actor.name ?? "this account"}</strong>.
      </p>
      {invite.alreadyHasAccess ? (
        <div className="mt-6">
          <p>You already have access to this subscription; the invitation stays unused for whoever it was meant for.</p>
          <Link
            href={`/account/subscriptions/${invite.subscriptionId}`}
            className="mt-3 inline-block rounded-md bg-brand-600 px-5 py-2.5 font-medium text-white"
          >
            Open the subscription
          </Link>
        </div>
      ) : (
        <AcceptForm action={acceptInvitation.bind(null, token)} />
      )}
    </section>
  );
}
