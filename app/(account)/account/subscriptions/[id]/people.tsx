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
  if (access === "colleague") {
    return (
      <p className="text-sm text-slate-600" data-testid="access-reason">
        You manage this subscription as a colleague invited by its owner.
      </p>
    );
  }
  const { colleagues, invites } = await listPeople({ subscriptionId });
  return (
    <section aria-labelledby="people-title" className="rounded-lg border border-slate-200 bg-white p-6 shadow-sm">
      <h2 id="people-title" className="text-lg font-semibold">
        People with access
      </h2>
      <p className="mt-1 text-sm text-slate-600">
        {access === "tenant_admin" ? "You see this subscription as an administrator of your organisation. " : ""}
        The buyer, the user it was bought for, and your organisation&apos;s Global and Billing Administrators always
        have access. Invite colleagues of your organisation to manage it too; they can change the plan and seats or
        cancel, but not invite others.
      </p>
      {colleagues.length > 0 ? (
        <ul className="mt-4 divide-y divide-slate-100" aria-label="Invited colleagues">
          {colleagues.map((person) => (
            <li
              key={`${person.tenantId}:${person.userOid}`}
              className="flex flex-wrap items-center justify-between gap-2 py-2"
              data-testid="colleague"
            >
              <span>
                <span className="font-medium">{person.name ?? "Colleague"}</span>{" "}
                <span className="text-sm text-slate-500">
                  {person.email ?? person.userOid} · since {formatDay(person.since)}
                </span>
              </span>
              <RowActionForm
                action={removeColleagueAccess.bind(null, subscriptionId)}
                name="person"
                value={`${person.tenantId}:${person.userOid}`}
                label="Remove access"
                pendingText="Removing…"
              />
            </li>
          ))}
        </ul>
      ) : (
        <p className="mt-4 text-sm text-slate-500">No colleagues invited yet.</p>
      )}
      {invites.length > 0 ? (
        <ul className="mt-4 divide-y divide-slate-100" aria-label="Open invitations">
          {invites.map((invite) => (
            <li
              key={invite.id}
              className="flex flex-wrap items-center justify-between gap-2 py-2"
              data-testid="open-invite"
            >
              <span className="text-sm text-slate-600">
                Invitation created {formatDay(invite.createdAt)}, valid until {formatDay(invite.expiresAt)}
              </span>
              <RowActionForm
                action={withdrawInvite.bind(null, subscriptionId)}
                name="inviteId"
                value={invite.id}
                label="Withdraw"
                pendingText="Withdrawing…"
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
