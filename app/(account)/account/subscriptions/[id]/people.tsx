import { getFormatter, getTranslations } from "next-intl/server";
import type { SubscriptionAccess } from "@/lib/subscriptions/ownership";
import { formatDay } from "@/app/components/format";
import { listPeople } from "@/lib/colleagues/list-people";
import { createInviteLink, removeColleagueAccess, withdrawInvite } from "./people-actions";
import { InviteForm, RowActionForm } from "./people-forms";

/** Who else may manage this subscription: invited colleagues and open invitations (decisions/0003). */
export async function PeopleSection({
  subscriptionId,
  access,
  cancelled,
}: {
  subscriptionId: string;
  access: SubscriptionAccess;
  cancelled: boolean;
}) {
  const [t, format] = await Promise.all([getTranslations("account.people"), getFormatter()]);
  if (access === "colleague") {
    return (
      <p className="text-sm text-slate-600" data-testid="access-reason">
        {t("asColleague")}
      </p>
    );
  }
  const { colleagues, invites } = await listPeople({ subscriptionId });
  return (
    <section aria-labelledby="people-title" className="rounded-lg border border-slate-200 bg-white p-6 shadow-sm">
      <h2 id="people-title" className="text-lg font-semibold">
        {t("title")}
      </h2>
      <p className="mt-1 text-sm text-slate-600">
        {access === "tenant_admin" ? `${t("asTenantAdmin")} ` : ""}
        {t("who")}
      </p>
      {colleagues.length > 0 ? (
        <ul className="mt-4 divide-y divide-slate-100" aria-label={t("colleagues")}>
          {colleagues.map((person) => (
            <li
              key={`${person.tenantId}:${person.userOid}`}
              className="flex flex-wrap items-center justify-between gap-2 py-2"
              data-testid="colleague"
            >
              <span className="min-w-0 break-words">
                <span className="font-medium">{person.name ?? t("colleague")}</span>{" "}
                <span className="text-sm text-slate-500">
                  {t("since", { who: person.email ?? person.userOid, day: formatDay(format, person.since) })}
                </span>
              </span>
              <RowActionForm
                action={removeColleagueAccess.bind(null, subscriptionId)}
                name="person"
                value={`${person.tenantId}:${person.userOid}`}
                label={t("remove")}
                pendingText={t("removing")}
              />
            </li>
          ))}
        </ul>
      ) : (
        <p className="mt-4 text-sm text-slate-500">{t("noColleagues")}</p>
      )}
      {invites.length > 0 ? (
        <ul className="mt-4 divide-y divide-slate-100" aria-label={t("invites")}>
          {invites.map((invite) => (
            <li
              key={invite.id}
              className="flex flex-wrap items-center justify-between gap-2 py-2"
              data-testid="open-invite"
            >
              <span className="min-w-0 text-sm text-slate-600">
                {t("invite", {
                  created: formatDay(format, invite.createdAt),
                  until: formatDay(format, invite.expiresAt),
                })}
              </span>
              <RowActionForm
                action={withdrawInvite.bind(null, subscriptionId)}
                name="inviteId"
                value={invite.id}
                label={t("withdraw")}
                pendingText={t("withdrawing")}
              />
            </li>
          ))}
        </ul>
      ) : null}
      {cancelled ? null : (
        <div className="mt-4">
          <InviteForm action={createInviteLink.bind(null, subscriptionId)} />
        </div>
      )}
    </section>
  );
}
