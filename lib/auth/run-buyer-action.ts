import "server-only";
import { randomUUID } from "node:crypto";
import { unstable_rethrow } from "next/navigation";
import { getLocale, getTranslations } from "next-intl/server";
import { toAppError } from "../errors";
import { appErrorText } from "../i18n/app-error-text";
import { logger } from "../logger";
import { withServerActionSpan } from "../telemetry/telemetry";
import { currentUser, type Actor } from "./current-user";

/** Why a buyer's form did not go through, in words the buyer can act on, in the buyer's language. */
export interface BuyerActionError {
  title: string;
  message: string;
  /** For support: Microsoft's correlation id, or the one our log line carries. */
  reference?: string;
}

/** What every buyer form's action answers; each form adds its own fields. */
export interface BuyerFormState {
  error?: BuyerActionError;
  fieldErrors?: Record<string, string[]>;
}

/**
 * Every buyer server action, in one order: the signed-in user first (a layout never runs for a
 * server action), then the work, whose failure becomes what the form shows. An AppError says what
 * to do; anything else is logged once, with the action's context and a reference the buyer is
 * shown, behind the generic message. redirect() and notFound() in the work are Next's control flow
 * and pass through untouched. Bad input is returned by the work as field errors or thrown as
 * AppError "invalid_input". Each runs in a span `server action <action>` (README "OpenTelemetry").
 *
 * `keep` goes into every answer the wrapper makes (the landing form shows the values typed again);
 * with it, the "session ended" answer also says that what was typed is kept. Answers are in the
 * request's language (lib/i18n/request.ts); the log line stays English.
 */
export async function runBuyerAction<State extends BuyerFormState>(
  action: string,
  work: (actor: Actor) => Promise<State>,
  options: { context?: Record<string, unknown>; keep?: Partial<State> } = {},
): Promise<State> {
  return withServerActionSpan(action, () => runAction(action, work, options));
}

async function runAction<State extends BuyerFormState>(
  action: string,
  work: (actor: Actor) => Promise<State>,
  options: { context?: Record<string, unknown>; keep?: Partial<State> },
): Promise<State> {
  const answer = (state: BuyerFormState) => ({ ...options.keep, ...state }) as State;
  const actor = await currentUser();
  if (!actor) {
    const t = await getTranslations("errors.sessionEnded");
    return answer({ error: { title: t("title"), message: options.keep ? t("messageTypingKept") : t("message") } });
  }
  try {
    return await work(actor);
  } catch (error) {
    unstable_rethrow(error);
    const appError = toAppError(error);
    const text = appErrorText(appError, await getLocale());
    if (appError.code !== "internal") return answer({ error: text, fieldErrors: appError.fieldErrors });
    // Ours to fix: the buyer gets a reference to quote, and our log the failure under it.
    const reference = appError.reference ?? randomUUID();
    logger.error("buyer action failed", { ...options.context, action, reference, error: appError.cause ?? error });
    return answer({ error: { ...text, reference } });
  }
}
