import "server-only";
import { revalidatePath } from "next/cache";
import type { Actor } from "@/lib/auth/actor";
import { requirePublisherAdmin } from "@/lib/auth/require-publisher-admin";
import { isAppError, toAppError } from "@/lib/errors";
import { logger } from "@/lib/logger";
import type { AdminActionState } from "./action-form";

/**
 * Every console action, in one order: the admin check first (anyone else gets a 404 before any
 * input is looked at), then the confirmation box, then the work. Bad input is thrown by the work
 * as AppError "invalid_input"; every failure becomes a message and changes nothing. A form may
 * answer more than a message (State), e.g. a new secret shown once.
 */
export async function runAdminAction<State extends AdminActionState = AdminActionState>(
  formData: FormData,
  work: (actor: Actor) => Promise<State>,
  options: { revalidate?: { path: string; type?: "layout" | "page" } } = {},
): Promise<State | AdminActionState> {
  const actor = await requirePublisherAdmin();
  if (formData.get("confirm") !== "yes") return { error: "Tick the confirmation box first. Nothing was changed." };
  let state: State;
  try {
    state = await work(actor);
  } catch (error) {
    const appError = toAppError(error);
    if (!isAppError(error)) logger.error("admin action crashed", { error });
    return {
      error:
        appError.code === "invalid_input"
          ? appError.message
          : `${appError.title}. ${appError.message}${appError.reference ? ` (reference ${appError.reference})` : ""}`,
    };
  }
  if (options.revalidate) revalidatePath(options.revalidate.path, options.revalidate.type);
  return state;
}
