import { redirect } from "next/navigation";
import { connection } from "next/server";
import { getTranslations } from "next-intl/server";
import { signOut } from "@/auth";
import { currentUser } from "@/lib/auth/current-user";
import { entraSignOutUrl } from "@/lib/auth/entra-sign-out-url";
import { withServerActionSpan } from "@/lib/telemetry/telemetry";

async function signOutOfPortal() {
  "use server";
  return withServerActionSpan("sign out", async () => {
    await signOut({ redirect: false });
    redirect(entraSignOutUrl()); // and out of Entra for this browser, which then returns to the home page
  });
}

/** Who is signed in, and a way out (any page: the landing page, the account pages, the console). */
export async function AccountMenu() {
  await connection(); // per request, never at build time
  const actor = await currentUser();
  if (!actor) return null;
  const t = await getTranslations("common.accountMenu");
  return (
    <div className="flex items-center gap-3">
      <span className="hidden text-slate-600 sm:inline" data-testid="account-menu-user">
        {actor.email ?? actor.name ?? t("signedIn")}
      </span>
      <form action={signOutOfPortal}>
        <button
          type="submit"
          className="rounded-md border border-slate-300 px-2.5 py-1 text-slate-700 hover:bg-slate-50"
        >
          {t("signOut")}
        </button>
      </form>
    </div>
  );
}
