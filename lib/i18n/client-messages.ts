/**
 * The namespaces client components translate with `useTranslations`: only these travel to the
 * browser (in the page's payload), the rest stay on the server. Add a namespace here when a client
 * component starts using it. Only the groups whose client components translate render next-intl's
 * client provider (app/(account)/layout.tsx, app/(admin)/layout.tsx); the other pages ship no
 * message runtime, and the "alerts" words every page's error panels need travel as plain strings
 * (app/components/alert-texts.tsx).
 */
import type { Messages } from "@/messages";

export const clientNamespaces = ["common", "accountForms"] as const satisfies ReadonlyArray<keyof Messages>;

export function clientMessages(messages: Messages): Pick<Messages, (typeof clientNamespaces)[number]> {
  return Object.fromEntries(clientNamespaces.map((namespace) => [namespace, messages[namespace]])) as Pick<
    Messages,
    (typeof clientNamespaces)[number]
  >;
}

/**
 * The console's client components' namespace: sent only with admin pages (app/(admin)/layout.tsx
 * adds it to its provider's messages), so buyers' pages do not carry the console's words.
 */
export const consoleClientNamespaces = ["adminClient"] as const satisfies ReadonlyArray<keyof Messages>;

export function consoleClientMessages(
  messages: Messages,
): Pick<Messages, (typeof clientNamespaces)[number] | (typeof consoleClientNamespaces)[number]> {
  return {
    ...clientMessages(messages),
    ...(Object.fromEntries(consoleClientNamespaces.map((namespace) => [namespace, messages[namespace]])) as Pick<
      Messages,
      (typeof consoleClientNamespaces)[number]
    >),
  };
}
