"use server";

import { redirect } from "next/navigation";
import { runBuyerAction, type BuyerFormState } from "@/lib/auth/run-buyer-action";
import { acceptInvite } from "@/lib/colleagues/accept-invite";

export type AcceptState = BuyerFormState;

export async function acceptInvitation(token: string, _state: AcceptState): Promise<AcceptState> {
  return runBuyerAction<AcceptState>("accept invitation", async (actor) => {
    const { subscriptionId } = await acceptInvite({ token, actor });
    redirect(`/account/subscriptions/${encodeURIComponent(subscriptionId)}`);
  });
}
