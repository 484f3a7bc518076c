/**
 * The message catalogs: one folder per language, one JSON file per namespace (README
 * "Languages"). English is the reference: its shape types every `t()` key (lib/i18n/app-config.d.ts),
 * and a key missing from another language falls back to English (lib/i18n/messages.ts).
 * Adding a namespace: a file in every language folder, listed here.
 */
import enAccount from "./en/account.json";
import enAccountForm from "./en/accountForm.json";
import enAccountForms from "./en/accountForms.json";
import enAdmin from "./en/admin.json";
import enAdminClient from "./en/admin-client.json";
import enAdminIntegration from "./en/admin-integration.json";
import enAdminNotifications from "./en/admin-notifications.json";
import enAdminUsage from "./en/admin-usage.json";
import enAlerts from "./en/alerts.json";
import enCommon from "./en/common.json";
import enComponents from "./en/components.json";
import enErrors from "./en/errors.json";
import enHandoff from "./en/handoff.json";
import enHome from "./en/home.json";
import enLanding from "./en/landing.json";
import enNotFound from "./en/notFound.json";
import enNotifications from "./en/notifications.json";
import enSignIn from "./en/signIn.json";
import enSubscription from "./en/subscription.json";
import jaAccount from "./ja/account.json";
import jaAccountForm from "./ja/accountForm.json";
import jaAccountForms from "./ja/accountForms.json";
import jaAdmin from "./ja/admin.json";
import jaAdminClient from "./ja/admin-client.json";
import jaAdminIntegration from "./ja/admin-integration.json";
import jaAdminNotifications from "./ja/admin-notifications.json";
import jaAdminUsage from "./ja/admin-usage.json";
import jaAlerts from "./ja/alerts.json";
import jaCommon from "./ja/common.json";
import jaComponents from "./ja/components.json";
import jaErrors from "./ja/errors.json";
import jaHandoff from "./ja/handoff.json";
import jaHome from "./ja/home.json";
import jaLanding from "./ja/landing.json";
import jaNotFound from "./ja/notFound.json";
import jaNotifications from "./ja/notifications.json";
import jaSignIn from "./ja/signIn.json";
import jaSubscription from "./ja/subscription.json";

export const catalogs = {
  en: {
    common: enCommon,
    alerts: enAlerts,
    components: enComponents,
    errors: enErrors,
    home: enHome,
    signIn: enSignIn,
    notFound: enNotFound,
    landing: enLanding,
    accountForm: enAccountForm,
    handoff: enHandoff,
    account: enAccount,
    accountForms: enAccountForms,
    subscription: enSubscription,
    admin: enAdmin,
    adminUsage: enAdminUsage,
    adminIntegration: enAdminIntegration,
    adminClient: enAdminClient,
    adminNotifications: enAdminNotifications,
    notifications: enNotifications,
  },
  ja: {
    common: jaCommon,
    alerts: jaAlerts,
    components: jaComponents,
    errors: jaErrors,
    home: jaHome,
    signIn: jaSignIn,
    notFound: jaNotFound,
    landing: jaLanding,
    accountForm: jaAccountForm,
    handoff: jaHandoff,
    account: jaAccount,
    accountForms: jaAccountForms,
    subscription: jaSubscription,
    admin: jaAdmin,
    adminUsage: jaAdminUsage,
    adminIntegration: jaAdminIntegration,
    adminClient: jaAdminClient,
    adminNotifications: jaAdminNotifications,
    notifications: jaNotifications,
  },
};

export type Messages = (typeof catalogs)["en"];
