import type { Messages } from "@/messages";
import type { Locale } from "./locales";

// Typed keys: `t("common.signOut")` is checked against the English catalog at compile time.
declare module "next-intl" {
  interface AppConfig {
    Locale: Locale;
    Messages: Messages;
  }
}
