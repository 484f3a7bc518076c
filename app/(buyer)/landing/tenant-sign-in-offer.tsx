import { SubmitButton } from "@/app/components/buttons";
import type { Actor } from "@/lib/auth/actor";
import type { TenantHint } from "@/lib/errors";
import { isPersonalAccount, tenantSignInLabel } from "@/lib/subscriptions/tenant-sign-in-offers";
import { signInToPurchaseTenant } from "./actions";

/**
 * Shown with "This subscription belongs to another account" when the purchase names a tenant
 * other than the one the buyer signed in to: a sign-in through that tenant. Names it only by a
 * domain or its id, never by someone's email.
 */
export function TenantSignInOffer({
  token,
  actor,
  hints,
}: {
  token: string;
  actor: Actor;
  hints: readonly TenantHint[];
}) {
  const personal = isPersonalAccount(actor);
  return (
    <section
      aria-labelledby="tenant-signin-title"
      className="rounded-lg border border-slate-200 bg-white p-6 shadow-sm"
    >
      <h2 id="tenant-signin-title" className="text-lg font-semibold">
        Did you make this purchase?
      </h2>
      {personal ? (
        <p className="mt-2 text-slate-700">
          You signed in with a personal Microsoft account. When you buy with a personal account, Azure keeps the
          purchase in a directory it created for your account, and Microsoft knows you there under a separate identity.
          Sign in to that directory with the same email address and password.
        </p>
      ) : (
        <p className="mt-2 text-slate-700">
          Microsoft recorded this purchase in another organisation’s directory. If you have an account there — for
          example as a guest — sign in to it to continue.
        </p>
      )}
      <ul className="mt-4 space-y-3">
        {hints.map((hint) => (
          <li key={hint.tenantId}>
            <form action={signInToPurchaseTenant}>
              <input type="hidden" name="token" value={token} />
              <input type="hidden" name="tenantId" value={hint.tenantId} />
              <SubmitButton pendingText="Redirecting to Microsoft…">
                Sign in to {tenantSignInLabel(hint, actor)}
              </SubmitButton>
            </form>
            <p className="mt-1 text-xs text-slate-500">
              Directory (tenant) ID{" "}
              <code className="rounded bg-slate-100 px-1" data-testid="offered-tenant-id">
                {hint.tenantId}
              </code>
            </p>
          </li>
        ))}
      </ul>
    </section>
  );
}
