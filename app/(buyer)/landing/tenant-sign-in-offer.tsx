import { useTranslations } from "next-intl";
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
  const t = useTranslations("landing");
  const personal = isPersonalAccount(actor);
  const directoryName = (hint: TenantHint) => {
    const label = tenantSignInLabel(hint, actor);
    return typeof label === "object" ? label.domain : t(`tenantSignIn.${label}`);
  };
  return (
    <section
      aria-labelledby="tenant-signin-title"
      className="rounded-lg border border-slate-200 bg-white p-6 shadow-sm"
    >
      <h2 id="tenant-signin-title" className="text-lg font-semibold">
        {t("tenantSignIn.title")}
      </h2>
      <p className="mt-2 text-slate-700">{personal ? t("tenantSignIn.personal") : t("tenantSignIn.guest")}</p>
      <ul className="mt-4 space-y-3">
        {hints.map((hint) => (
          <li key={hint.tenantId}>
            <form action={signInToPurchaseTenant}>
              <input type="hidden" name="token" value={token} />
              <input type="hidden" name="tenantId" value={hint.tenantId} />
              <SubmitButton pendingText={t("signIn.pending")}>
                {t("tenantSignIn.button", { directory: directoryName(hint) })}
              </SubmitButton>
            </form>
            <p className="mt-1 text-xs text-slate-500">
              {t("tenantSignIn.tenantId")}{" "}
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
