import type { ReactNode } from "react";
import { requireBuyer } from "@/lib/auth/require-buyer";

/**
 * The customer's own pages: a signed-out visitor is sent to sign in and back to the same URL.
 * This guard is for the whole group, not the only check: each page asks requireBuyer for the actor
 * its reads are authorized with (by tid/oid), and each server action checks the user itself
 * (runBuyerAction), because a layout does not run again on a client navigation between its pages,
 * does not stop a page from rendering next to it, and never runs for a server action.
 */
export default async function AccountLayout({ children }: { children: ReactNode }) {
  await requireBuyer();
  return children;
}
