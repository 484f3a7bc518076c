import { NextIntlClientProvider } from "next-intl";
import { getMessages } from "next-intl/server";
import type { ReactNode } from "react";
import { requireBuyer } from "@/lib/auth/require-buyer";
import { clientMessages } from "@/lib/i18n/client-messages";

/**
 * The customer's own pages: a signed-out visitor is sent to sign in and back to the same URL.
 * This guard is for the whole group, not the only check: each page asks requireBuyer for the actor
 * its reads are authorized with (by tid/oid), and each server action checks the user itself
 * (runBuyerAction), because a layout does not run again on a client navigation between its pages,
 * does not stop a page from rendering next to it, and never runs for a server action.
 */
export default async function AccountLayout({ children }: { children: ReactNode }) {
  await requireBuyer();
  const messages = await getMessages();
  // Japanese has no spaces between words: wrap lines between phrases ("5シート", "2026年12月7日"),
  // not inside them (Chromium; elsewhere the usual line breaking). Other languages are unaffected.
  // The account's forms translate in the browser: this group (and the console) carries next-intl's
  // client provider, the root layout does not (the landing ships no message runtime).
  return (
    <div className="[word-break:auto-phrase]">
      <NextIntlClientProvider messages={clientMessages(messages)}>{children}</NextIntlClientProvider>
    </div>
  );
}
