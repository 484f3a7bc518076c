import "server-only";
import { randomUUID } from "node:crypto";
import { unstable_rethrow } from "next/navigation";
import { toAppError } from "../errors";
import { logger } from "../logger";
import { currentUser, type Actor } from "./current-user";

/** Why a buyer's form did not go through, in words the buyer can act on. */
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
 * AppError "invalid_input".
 *
 * `keep` goes into every answer the wrapper makes (the landing form shows the values typed again);
 * with it, the "session ended" answer also says that what was typed is kept.
 */
export async function runBuyerAction<State extends BuyerFormState>(
  action: string,
  work: (actor: Actor) => Promise<State>,
  options: { context?: Record<string, unknown>; keep?: Partial<State> } = {},
): Promise<State> {
  const answer = (state: BuyerFormState) => ({ ...options.keep, ...state }) as State;
  const actor = await currentUser();
  if (!actor)
    return answer({
      error: {
        title: "Your session has ended",
        message: options.keep
          ? "Sign in again to continue; what you typed is kept on this page."
          : "Sign in again to continue.",
      },
    });
  try {
    return await work(actor);
  } catch (error) {
    unstable_rethrow(error);
    const appError = toAppError(error);
    if (appError.code !== "internal")
      return answer({
        error: { title: appError.title, message: appError.message, reference: appError.reference },
        fieldErrors: appError.fieldErrors,
      });
    // Ours to fix: the buyer gets a reference to quote, and our log the failure under it.
    const reference = appError.reference ?? randomUUID();
    logger.error("buyer action failed", { ...options.context, action, reference, error: appError.cause ?? error });
    return answer({ error: { title: appError.title, message: appError.message, reference } });
  }
}
