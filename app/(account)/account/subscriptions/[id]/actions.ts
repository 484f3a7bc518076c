"use server";

import { refresh, revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { getTranslations } from "next-intl/server";
import type { Actor } from "@/lib/auth/actor";
import { runBuyerAction, type BuyerFormState } from "@/lib/auth/run-buyer-action";
import { isAppError } from "@/lib/errors";
import { reviewedTermsSchema, type ReviewedTerms } from "@/lib/subscriptions/change-consequences";
import { requestSubscriptionChange, type CustomerChange } from "@/lib/subscriptions/request-subscription-change";

export type ChangeFormState = BuyerFormState;

async function submit(subscriptionId: string, actor: Actor, change: CustomerChange): Promise<never> {
  await requestSubscriptionChange({ subscriptionId, actor, change });
  // The subscription page the customer came from is in the browser's router cache as it was before
  // the change (no "pending", so no self-refresh): invalidate it, then show it afresh.
  const page = `/account/subscriptions/${encodeURIComponent(subscriptionId)}`;
  revalidatePath(page);
  redirect(page);
}

// The subscription id is bound on the server when the page renders (encrypted by Next), so a
// forged post cannot aim the action at another subscription without passing the same checks.
/**
 * The review page's confirm button: the change and the consequences the customer reviewed
 * (`terms`). The server works them out again from Microsoft's plans; if they differ, nothing is
 * sent and the page is rendered afresh with the new consequences and the reason.
 */
export async function confirmChange(
  subscriptionId: string,
  _state: ChangeFormState,
  formData: FormData,
): Promise<ChangeFormState> {
  return runBuyerAction<ChangeFormState>(
    "confirm change",
    async (actor) => {
      const reviewed = parseReviewedTerms(formData.get("terms"));
      if (!reviewed) {
        const t = await getTranslations("account.actions");
        return { error: { title: t("notReviewedTitle"), message: t("notReviewedMessage") } };
      }
      const change: CustomerChange =
        reviewed.kind === "plan"
          ? { kind: "plan", planId: reviewed.planId, reviewed }
          : { kind: "quantity", quantity: reviewed.seats, reviewed };
      try {
        return await submit(subscriptionId, actor, change);
      } catch (error) {
        // Show what the change would do now, next to the reason nothing was sent; or, when it is no
        // longer possible (another change started, the plans or rules moved), the review page's own
        // explanation of why, in the customer's language.
        if (isAppError(error) && refreshOn.has(error.code)) refresh();
        throw error;
      }
    },
    { context: { subscriptionId } },
  );
}

const refreshOn = new Set<string>(["change_terms_changed", "invalid_input", "change_not_allowed", "change_pending"]);

function parseReviewedTerms(raw: FormDataEntryValue | null): ReviewedTerms | null {
  if (typeof raw !== "string" || raw.length > 4000) return null;
  try {
    const parsed = reviewedTermsSchema.safeParse(JSON.parse(raw));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

export async function cancelSubscription(
  subscriptionId: string,
  _state: ChangeFormState,
  formData: FormData,
): Promise<ChangeFormState> {
  return runBuyerAction<ChangeFormState>(
    "cancel subscription",
    async (actor) => {
      if (formData.get("confirm") !== "cancel") {
        const t = await getTranslations("account.actions");
        return { fieldErrors: { confirm: [t("tickToConfirm")] } };
      }
      try {
        return await submit(subscriptionId, actor, { kind: "cancel" });
      } catch (error) {
        // No longer possible (suspended, cancelled meanwhile, a change in progress): the cancel page says why.
        if (isAppError(error) && refreshOn.has(error.code)) refresh();
        throw error;
      }
    },
    { context: { subscriptionId } },
  );
}
