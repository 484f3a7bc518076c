"use server";

import { redirect } from "next/navigation";
import { currentUser } from "@/lib/auth/current-user";
import { AppError, isAppError } from "@/lib/errors";
import { logger } from "@/lib/logger";
import { acceptInvite } from "@/lib/colleagues/accept-invite";

export interface AcceptState {
  error?: string;
}

export async function acceptInvitation(token: string, _state: AcceptState): Promise<AcceptState> {
  const actor = await currentUser();
  if (!actor) return { error: "Your session has ended. Sign in again to continue." };
  let subscriptionId: string;
  try {
    ({ subscriptionId } = await acceptInvite({ token, actor }));
  } catch (error) {
    const appError = isAppError(error) ? error : new AppError("internal", { cause: error });
    if (!isAppError(error)) logger.error("invitation crashed", { error });
    return { error: `${appError.title}. ${appError.message}` };
  }
  redirect(`/account/subscriptions/${encodeURIComponent(subscriptionId)}`);
}
