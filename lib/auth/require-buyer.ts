import "server-only";
import { redirect } from "next/navigation";
import { currentUser, type Actor } from "./current-user";

/** The signed-in customer, or a redirect to sign-in that comes back to `returnTo`. */
export async function requireBuyer(returnTo: string): Promise<Actor> {
  const actor = await currentUser();
  if (!actor) redirect(`/signin?callbackUrl=${encodeURIComponent(returnTo)}`);
  return actor;
}
