"use server";

import { revalidatePath } from "next/cache";
import { getTranslations } from "next-intl/server";
import type { Actor } from "@/lib/auth/actor";
import { runBuyerAction, type BuyerFormState } from "@/lib/auth/run-buyer-action";
import { portalEnv } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { createInvite } from "@/lib/colleagues/create-invite";
import { invitationUrl } from "@/lib/colleagues/invite-token";
import { removeColleague } from "@/lib/colleagues/remove-colleague";
import { revokeInvite } from "@/lib/colleagues/revoke-invite";

export interface PeopleFormState extends BuyerFormState {
  /** The invitation link, shown once right after it was created. */
  link?: string;
  expiresAt?: string;
  /** The address the link was also mailed to. */
  emailedTo?: string;
}

function changePeople(
  action: string,
  subscriptionId: string,
  work: (actor: Actor) => Promise<PeopleFormState>,
): Promise<PeopleFormState> {
  return runBuyerAction<PeopleFormState>(
    action,
    async (actor) => {
      const state = await work(actor);
      revalidatePath(`/account/subscriptions/${subscriptionId}`);
      return state;
    },
    { context: { subscriptionId } },
  );
}

// The subscription id is bound on the server when the page renders; every action re-checks that
// the caller may manage people on it (a party or a tenant admin).
export async function createInviteLink(
  subscriptionId: string,
  _state: PeopleFormState,
  formData: FormData,
): Promise<PeopleFormState> {
  return changePeople("create invitation", subscriptionId, async (actor) => {
    const emailTo = formData.get("emailTo");
    if (emailTo !== null && (typeof emailTo !== "string" || emailTo.length > 320))
      throw new AppError("invalid_input", { reason: "inviteEmail" });
    const invite = await createInvite({ subscriptionId, actor, emailTo: emailTo ?? undefined });
    return {
      link: invitationUrl(invite.token, portalEnv().PUBLIC_BASE_URL),
      expiresAt: invite.expiresAt.toISOString(),
      ...(invite.emailedTo ? { emailedTo: invite.emailedTo } : {}),
    };
  });
}

export async function withdrawInvite(
  subscriptionId: string,
  _state: PeopleFormState,
  formData: FormData,
): Promise<PeopleFormState> {
  return changePeople("withdraw invitation", subscriptionId, async (actor) => {
    const inviteId = formData.get("inviteId");
    if (typeof inviteId !== "string" || inviteId.length > 100)
      throw new AppError("invalid_input", { message: (await getTranslations("account.actions"))("chooseInvite") });
    await revokeInvite({ subscriptionId, inviteId, actor });
    return {};
  });
}

export async function removeColleagueAccess(
  subscriptionId: string,
  _state: PeopleFormState,
  formData: FormData,
): Promise<PeopleFormState> {
  return changePeople("remove colleague", subscriptionId, async (actor) => {
    const person = formData.get("person");
    const [tenantId, userOid] = typeof person === "string" ? person.split(":") : [];
    if (!tenantId || !userOid || !/^[0-9a-f-]{36}$/i.test(tenantId) || !/^[0-9a-f-]{36}$/i.test(userOid))
      throw new AppError("invalid_input", { message: (await getTranslations("account.actions"))("chooseColleague") });
    await removeColleague({ subscriptionId, tenantId, userOid, actor });
    return {};
  });
}
