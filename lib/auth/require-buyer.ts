import "server-only";
import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { cache } from "react";
import { RETURN_PATH_HEADER, safeReturnPath } from "../http/return-path";
import { currentUser, type Actor } from "./current-user";

/** One session read per request, however many of the layout and the page ask. */
const currentBuyer = cache(currentUser);

/**
 * The signed-in customer, or a redirect to sign-in that comes back to the URL the visitor asked
 * for (proxy.ts passes it on; `/account` when it is missing). The (account) layout calls it for
 * the whole group, and each page calls it again for the actor it authorizes its reads with: a
 * layout is not rendered again on a client navigation between its pages, and does not stop a page
 * from rendering in parallel with it.
 */
export async function requireBuyer(): Promise<Actor> {
  const actor = await currentBuyer();
  if (actor) return actor;
  const returnTo = safeReturnPath((await headers()).get(RETURN_PATH_HEADER), "/account");
  redirect(`/signin?callbackUrl=${encodeURIComponent(returnTo)}`);
}
