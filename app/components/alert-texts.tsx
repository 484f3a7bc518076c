"use client";

import { createContext, useContext, type ReactNode } from "react";
import type { Messages } from "@/messages";

/**
 * The "alerts" namespace's words (error panels, form alerts, the error boundaries' retry), already
 * translated on the server (app/layout.tsx) and handed to the browser as plain strings. Every page
 * can show an error, so these words are on every page; reading them from this context rather than
 * through next-intl's `useTranslations` keeps next-intl's message runtime off the pages whose own
 * client components need no translations (the landing, the home page, sign-in).
 */
export type AlertTexts = Messages["alerts"];

const AlertTextsContext = createContext<AlertTexts | null>(null);

export function AlertTextsProvider({ texts, children }: { texts: AlertTexts; children: ReactNode }) {
  return <AlertTextsContext.Provider value={texts}>{children}</AlertTextsContext.Provider>;
}

export function useAlertTexts(): AlertTexts {
  const texts = useContext(AlertTextsContext);
  if (!texts) throw new Error("useAlertTexts: no AlertTextsProvider above (app/layout.tsx renders it)");
  return texts;
}
