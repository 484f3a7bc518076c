"use server";

import { revalidatePath } from "next/cache";
import { currentUser, type Actor } from "@/lib/auth/current-user";
import { portalEnv } from "@/lib/env";
import { AppError, isAppError } from "@/lib/errors";
import { logger } from "@/lib/logger";
import { createInvite } from "@/lib/colleagues/create-invite";
import { removeColleague } from "@/lib/colleagues/remove-colleague";
import { revokeInvite } from "@/lib/colleagues/revoke-invite";

export interface PeopleFormState {
  error?: string;
  /** The invitation link, shown once right after it was created. */
  link?: string;
  expiresAt?: string;
}

async function run(subscriptionId: string, work: (actor: Actor) => Promise<PeopleFormState>): Promise<PeopleFormState> {
  const actor = await currentUser();
  if (!actor) return { error: "Your session has ended. Sign in again to continue." };
  try {
    const state = await work(actor);
    revalidatePath(`/account/subscriptions/${subscriptionId}`);
    return state;
  } catch (error) {
    const appError = isAppError(error) ? error : new AppError("internal", { cause: error });
    if (!isAppError(error)) logger.error("people change crashed", { subscriptionId, error });
    return { error: `${appError.title}. ${appError.message}` };
  }
}

// The subscription id is bound on the server when the page renders; every action re-checks that
// the caller may manage people on it (a party or a tenant admin).
export async function createInviteLink(subscriptionId: string, _state: PeopleFormState): Promise<PeopleFormState> {
  return run(subscriptionId, async (actor) => {
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
  const inviteId = formData.get("inviteId");
  if (typeof inviteId !== "string" || inviteId.length > 100) return { error: "Choose an invitation to withdraw." };
  return run(subscriptionId, async (actor) => {
    await revokeInvite({ subscriptionId, inviteId, actor });
    return {};
  });
}

export async function removeColleagueAccess(
  subscriptionId: string,
  _state: PeopleFormState,
  formData: FormData,
): Promise<PeopleFormState> {
  const person = formData.get("person");
  const [tenantId, userOid] = typeof person === "string" ? person.split(":") : [];
  if (!tenantId || !userOid || !/^[0-9a-f-]{36}$/i.test(tenantId) || !/^[0-9a-f-]{36}$/i.test(userOid))
    return { error: "Choose a colleague to remove." };
  return run(subscriptionId, async (actor) => {
    await removeColleague({ subscriptionId, tenantId, userOid, actor });
    return {};
  });
}
