"use server";

import { revalidatePath } from "next/cache";
import type { Actor } from "@/lib/auth/actor";
import { runBuyerAction, type BuyerFormState } from "@/lib/auth/run-buyer-action";
import { portalEnv } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { createInvite } from "@/lib/colleagues/create-invite";
import { removeColleague } from "@/lib/colleagues/remove-colleague";
import { revokeInvite } from "@/lib/colleagues/revoke-invite";

export interface PeopleFormState extends BuyerFormState {
  /** The invitation link, shown once right after it was created. */
  link?: string;
  expiresAt?: string;
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
export async function createInviteLink(subscriptionId: string, _state: PeopleFormState): Promise<PeopleFormState> {
  return changePeople("create invitation", subscriptionId, async (actor) => {
    const invite = await createInvite({ subscriptionId, actor });
    const link = new URL(`/account/invitations/${invite.token}`, portalEnv().PUBLIC_BASE_URL).toString();
    return { link, expiresAt: invite.expiresAt.toISOString() };
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
      throw new AppError("invalid_input", { message: "Choose an invitation to withdraw." });
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
      throw new AppError("invalid_input", { message: "Choose a colleague to remove." });
    await removeColleague({ subscriptionId, tenantId, userOid, actor });
    return {};
  });
}
