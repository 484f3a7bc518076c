/**
 * The portal's configuration: the only module that reads process.env.
 * Each section is parsed once, on first use; `validateEnv()` (called at start-up from
 * instrumentation.ts) parses them all so that a missing production secret stops the boot
 * with a message naming it.
 */
import { createPrivateKey } from "node:crypto";
import { isIP } from "node:net";
import { z } from "zod";
import { isLoopbackHostname } from "./http/loopback";
import { CREDENTIAL_TYPES, parseClientCredential } from "./marketplace/client-credential";
import { locales, publisherKindNames, type PublisherKind } from "./notifications/notification-kinds";

const MARKETPLACE_RESOURCE_ID = "20e940b3-4c77-4b0b-9a53-9e16a1b010a7";

const url = z.url({ protocol: /^https?$/ }).transform((value) => value.replace(/\/+$/, ""));
const httpsUrl = z
  .url({ protocol: /^https$/, error: "must be an https:// URL" })
  .transform((value) => value.replace(/\/+$/, ""));
const uuid = z.uuid({ error: "must be a GUID (Entra tenant or application id)" });
const positiveInt = z.coerce.number().int().positive();
const flag = z.enum(["true", "false", "1", "0"]).transform((value) => value === "true" || value === "1");

/** Default files, relative to the working directory (the artefact's directory under `node server.js`). */
export const DEFAULT_EMBEDDED_DATABASE_DIR = ".data/pglite";
export const DEFAULT_HANDOFF_KEY_FILE = ".data/handoff-signing-key.json";
export const DEFAULT_CATALOG_FILE = "config/catalog.json";

const databaseSchema = z.object({
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, "must be a postgres:// or postgresql:// URL")
    .optional(),
  EMBEDDED_DATABASE_DIR: z.string().min(1).default(DEFAULT_EMBEDDED_DATABASE_DIR),
  DATABASE_MIGRATE_ON_START: flag.optional(),
});

const authSchema = z.object({
  AUTH_SECRET: z.string().min(32, "must be at least 32 characters (generate one with `openssl rand -base64 33`)"),
  AUTH_MICROSOFT_ENTRA_ID_ID: uuid,
  AUTH_MICROSOFT_ENTRA_ID_SECRET: z.string().min(1),
  AUTH_MICROSOFT_ENTRA_ID_ISSUER: httpsUrl.default("https://login.microsoftonline.com/common/v2.0"),
});

/** https, or plain http checked by `onlyLoopbackHttpOutsideProduction` below. */
const serviceUrl = z
  .url({ protocol: /^https?$/, error: "must be an https:// URL" })
  .transform((value) => value.replace(/\/+$/, ""));

/**
 * Microsoft's endpoints are https. A developer's local emulator may speak plain http, so http is
 * allowed to a loopback host (localhost, 127.0.0.0/8, [::1]) when NODE_ENV is not production:
 * traffic that never leaves the machine, and never a deployed portal.
 */
function onlyLoopbackHttpOutsideProduction(
  settings: Record<"MARKETPLACE_API_BASE" | "ENTRA_AUTHORITY_HOST", string> & { NODE_ENV?: string },
  context: z.RefinementCtx,
) {
  for (const key of ["MARKETPLACE_API_BASE", "ENTRA_AUTHORITY_HOST"] as const) {
    const url = new URL(settings[key]);
    if (url.protocol === "https:") continue;
    const why = !isLoopbackHostname(url.hostname)
      ? "plain http:// is allowed only to a local emulator on localhost, 127.0.0.0/8 or [::1]"
      : settings.NODE_ENV === "production"
        ? "plain http:// to a local emulator is allowed only when NODE_ENV is not production"
        : undefined;
    if (why) context.addIssue({ code: "custom", path: [key], message: `must be an https:// URL (${why})` });
  }
}

const marketplaceSchema = z
  .object({
    MARKETPLACE_TENANT_ID: uuid,
    MARKETPLACE_CLIENT_ID: uuid,
    /**
     * The fulfillment app's credential (lib/marketplace/client-credential.ts, docs/decisions/0016):
     * secret | certificate | federated | managed-identity; unset = the one whose variables are set.
     */
    MARKETPLACE_CREDENTIAL_TYPE: z
      .enum(CREDENTIAL_TYPES, { error: `must be one of ${CREDENTIAL_TYPES.join(", ")}` })
      .optional(),
    MARKETPLACE_CLIENT_SECRET: z.string().optional(),
    /** When the secret expires (Entra shows it): the health check warns 30 days ahead. */
    MARKETPLACE_CLIENT_SECRET_EXPIRES_AT: z.string().optional(),
    /** PEM certificate (may hold the private key too), and the private key when it is in a file of its own. */
    MARKETPLACE_CLIENT_CERTIFICATE_PATH: z.string().optional(),
    MARKETPLACE_CLIENT_PRIVATE_KEY_PATH: z.string().optional(),
    /** Only without a certificate file (or to double-check it): its SHA-1 or SHA-256 thumbprint in hex. */
    MARKETPLACE_CLIENT_CERTIFICATE_THUMBPRINT: z.string().optional(),
    /** The token file of a federated credential, read for every token request (Kubernetes, CI). */
    MARKETPLACE_FEDERATED_TOKEN_FILE: z.string().optional(),
    AZURE_FEDERATED_TOKEN_FILE: z.string().optional(),
    /** A user-assigned managed identity's client id (empty: the system-assigned identity). */
    MARKETPLACE_MANAGED_IDENTITY_CLIENT_ID: z.string().optional(),
    MARKETPLACE_MANAGED_IDENTITY_AUDIENCE: z.string().optional(),
    MARKETPLACE_API_BASE: serviceUrl.default("https://marketplaceapi.microsoft.com/api"),
    ENTRA_AUTHORITY_HOST: serviceUrl.default("https://login.microsoftonline.com"),
    MARKETPLACE_RESOURCE_ID: uuid.default(MARKETPLACE_RESOURCE_ID),
    MARKETPLACE_TIMEOUT_MS: positiveInt.default(10_000),
    MARKETPLACE_MAX_RETRIES: z.coerce.number().int().min(0).max(10).default(3),
    NODE_ENV: z.string().optional(),
  })
  .superRefine(onlyLoopbackHttpOutsideProduction)
  .transform((settings, context) => {
    const {
      NODE_ENV: _nodeEnv,
      MARKETPLACE_CREDENTIAL_TYPE,
      MARKETPLACE_CLIENT_SECRET,
      MARKETPLACE_CLIENT_SECRET_EXPIRES_AT,
      MARKETPLACE_CLIENT_CERTIFICATE_PATH,
      MARKETPLACE_CLIENT_PRIVATE_KEY_PATH,
      MARKETPLACE_CLIENT_CERTIFICATE_THUMBPRINT,
      MARKETPLACE_FEDERATED_TOKEN_FILE,
      AZURE_FEDERATED_TOKEN_FILE,
      MARKETPLACE_MANAGED_IDENTITY_CLIENT_ID,
      MARKETPLACE_MANAGED_IDENTITY_AUDIENCE,
      ...rest
    } = settings;
    // Certificate and token files are read here, so a missing or unreadable one stops the boot naming it.
    const parsed = parseClientCredential({
      MARKETPLACE_CREDENTIAL_TYPE,
      MARKETPLACE_CLIENT_SECRET,
      MARKETPLACE_CLIENT_SECRET_EXPIRES_AT,
      MARKETPLACE_CLIENT_CERTIFICATE_PATH,
      MARKETPLACE_CLIENT_PRIVATE_KEY_PATH,
      MARKETPLACE_CLIENT_CERTIFICATE_THUMBPRINT,
      MARKETPLACE_FEDERATED_TOKEN_FILE,
      AZURE_FEDERATED_TOKEN_FILE,
      MARKETPLACE_MANAGED_IDENTITY_CLIENT_ID,
      MARKETPLACE_MANAGED_IDENTITY_AUDIENCE,
    });
    if (!parsed.ok) {
      for (const issue of parsed.issues)
        context.addIssue({ code: "custom", path: [issue.variable], message: issue.message });
      return z.NEVER;
    }
    return { ...rest, credential: parsed.credential };
  });

const policySchema = z.object({
  /** Plan moves the publisher accepts: from plan id → allowed target plan ids. Absent = any move Microsoft allows. */
  allowedPlanMoves: z.record(z.string(), z.array(z.string())).optional(),
  /** Seat limits per plan, on top of Microsoft's own min/max. */
  seatLimits: z
    .record(
      z.string(),
      z.object({ min: z.number().int().nonnegative().optional(), max: z.number().int().positive().optional() }),
    )
    .optional(),
  /** The ISV's product endpoint asked to accept a change (POST JSON → { accept, reason }). */
  hookUrl: z.url().optional(),
  hookTimeoutMs: z.number().int().positive().max(5000).default(3000),
  /** When the hook does not answer in time: accept (Microsoft would auto-accept after 10 s anyway) or refuse. */
  onHookFailure: z.enum(["accept", "refuse"]).default("accept"),
});
export type PublisherPolicy = z.infer<typeof policySchema>;

const jsonText = <T extends z.ZodType>(schema: T) =>
  z
    .string()
    .transform((text, context) => {
      try {
        return JSON.parse(text) as unknown;
      } catch {
        context.addIssue({ code: "custom", message: "must be valid JSON" });
        return z.NEVER;
      }
    })
    .pipe(schema);

/** An audience of Microsoft's webhook token: an application id, or an App ID URI (api://…, https://…). */
const webhookAudience = z
  .string()
  .refine((value) => uuid.safeParse(value).success || /^(api|https):\/\/\S+$/.test(value), {
    error: (issue) =>
      `"${String(issue.input)}" is neither an application id (GUID) nor an App ID URI (api://… or https://…)`,
  });

const webhookSchema = z.object({
  /**
   * The audiences Microsoft's webhook tokens may be issued for (aud), comma-separated: the publisher
   * app id (its App ID URI api://<app id> is accepted with it) and any other App ID URI. Defaults to
   * MARKETPLACE_CLIENT_ID.
   */
  WEBHOOK_AUDIENCE: z
    .string()
    .transform((value) =>
      value
        .split(",")
        .map((entry) => entry.trim())
        .filter(Boolean),
    )
    .pipe(z.array(webhookAudience).min(1, "list at least one application id or App ID URI"))
    .optional(),
  /** Override the accepted issuers (comma-separated); by default the v1 and v2 forms for MARKETPLACE_TENANT_ID. */
  WEBHOOK_ISSUERS: z.string().optional(),
  WEBHOOK_MAX_BODY_BYTES: positiveInt.default(64 * 1024),
  /** Another path for the webhook (the URL registered in Partner Center); read by next.config.ts at build time too. */
  WEBHOOK_PATH: z
    .string()
    .regex(/^\/[\w\-/]+$/, "must be a plain path such as /hooks/marketplace (letters, digits, -, _ and /)")
    .optional(),
  /** Oldest webhook token accepted (its iat), and its longest lifetime (exp - iat / nbf). Entra's live 60–90 minutes. */
  WEBHOOK_TOKEN_MAX_AGE_SECONDS: positiveInt
    .min(
      7200,
      "must be at least 7200 (2 hours): Entra's tokens live up to 90 minutes, so less would refuse every delivery",
    )
    .default(24 * 60 * 60),
});
export type WebhookEnv = z.infer<typeof webhookSchema>;

const policyEnvSchema = z.object({
  /** The publisher's rules for plan and seat changes (see PublisherPolicy). */
  PUBLISHER_POLICY: jsonText(policySchema).default({ hookTimeoutMs: 3000, onHookFailure: "accept" }),
});

/** Minutes that a cron schedule can repeat at: 0 (off), a divisor of 60, or whole hours dividing a day. */
const scheduleMinutes = z.coerce
  .number()
  .int()
  .min(0)
  .refine(
    (minutes) => minutes === 0 || (minutes <= 60 && 60 % minutes === 0) || (minutes % 60 === 0 && 1440 % minutes === 0),
    "must be 0 (off), a divisor of 60 (1, 2, 3, 4, 5, 6, 10, 12, 15, 20, 30, 60) or whole hours dividing a day (120, 180, 240, 360, 480, 720, 1440)",
  );

const reconciliationSchema = z.object({
  RECONCILE_INTERVAL_MINUTES: scheduleMinutes.default(60),
  /** A customer's change not sent to Microsoft after this long ends Failed, so the subscription is not locked. */
  CHANGE_REQUEST_TIMEOUT_MINUTES: z.coerce
    .number()
    .int()
    .min(1)
    .max(24 * 60)
    .default(10),
});

const retentionSchema = z.object({
  /** Events sent to the product (and their deliveries) are deleted after this many days, once none still waits for a retry. */
  EVENT_RETENTION_DAYS: positiveInt
    .min(7, "must be at least 7: dead-lettered events stay replayable in the console until then")
    .default(30),
  DATA_RETENTION_DAYS: positiveInt.min(7, "Microsoft asks to keep customer data at least 7 days").default(30),
  /** Finished webhook deliveries and reconciliation runs are deleted after this many days (the audit trail keeps what they did). */
  WEBHOOK_EVENT_RETENTION_DAYS: positiveInt.default(90),
  /** Usage records of hours Microsoft has settled are deleted after this many days (the billed hours stay). */
  USAGE_RECORD_RETENTION_DAYS: positiveInt
    .min(35, "must be at least 35: Microsoft's usage reports cover the last month")
    .default(400),
  /** Notifications (sent, failed or skipped) are deleted after this many days; a subscription's go with its personal data. */
  NOTIFICATION_RETENTION_DAYS: positiveInt.default(90),
  /** Findings of usage reconciliation (what Microsoft reported per hour or day) are deleted after this many days. */
  USAGE_RECONCILIATION_RETENTION_DAYS: positiveInt
    .min(
      35,
      "must be at least 35: longer than the longest usage reconciliation window (USAGE_RECONCILE_DAYS, at most 31)",
    )
    .default(90),
});

const jobsSchema = z.object({
  /** Run the background workers in this process (set false on web-only instances). */
  WORKERS_ENABLED: flag.default(true),
  /** How often an idle worker looks for new jobs; a job enqueued in this process or (PostgreSQL) any instance starts at once anyway. */
  JOB_POLL_INTERVAL_SECONDS: z.coerce.number().min(0.5).max(60).default(2),
  /** Completed jobs are kept this many days. */
  JOB_RETENTION_DAYS: positiveInt.max(365).default(7),
  /** Jobs that failed for good stay visible and retryable in the console this many days. */
  JOB_FAILED_RETENTION_DAYS: positiveInt.max(365).default(30),
  /** How often the engine's upkeep runs: a job whose process died is retried at most this long after it expires. */
  JOB_MAINTENANCE_INTERVAL_SECONDS: positiveInt.max(3600).default(60),
});

const meteringSchema = z.object({
  /** How often the usage submission runs (minutes; 0 = never on a schedule). Runs are aligned to the hour plus the delay below. */
  METERING_SUBMIT_INTERVAL_MINUTES: scheduleMinutes.default(60),
  /** Wait after an hour closes before sending it, so usage reported a little late still lands in its own hour. */
  METERING_SUBMIT_DELAY_MINUTES: z.coerce.number().int().min(0).max(120).default(5),
  /** Microsoft accepts 24 h of history (marketplace-contract.md §9.1): usage older than 24 h minus this margin is refused at ingest. */
  METERING_WINDOW_MARGIN_MINUTES: z.coerce
    .number()
    .int()
    .min(15)
    .max(12 * 60)
    .default(60),
  /** How far in the future a record's time may be (the product's clock may run ahead). */
  METERING_CLOCK_SKEW_SECONDS: z.coerce.number().int().min(0).max(3600).default(300),
  /** Warn admins when unbilled usage is this close to leaving Microsoft's 24-hour window. */
  METERING_EXPIRY_WARNING_HOURS: z.coerce.number().int().min(1).max(23).default(4),
  /** Largest quantity one record may carry (guards against unit mistakes such as bytes for GB). */
  METERING_MAX_QUANTITY: z.coerce.number().positive().max(1e15).default(1_000_000_000),
  /** How long a plan's metering dimensions are cached (they lock when the offer is published). */
  METERING_PLAN_CACHE_SECONDS: z.coerce.number().int().min(0).default(600),
  /** Records one API key may report per minute, all portal instances together (0 = no limit); at least one full batch (1000). */
  METERING_RATE_LIMIT_PER_MINUTE: z.coerce
    .number()
    .int()
    .refine((value) => value === 0 || value >= 1000, "0 (off) or at least 1000 (one full batch)")
    .default(60_000),
  /** How often the portal asks Microsoft what it did with the usage it was sent (GET /usageEvents; minutes, 0 = never on a schedule). Runs at 35 past. */
  USAGE_RECONCILE_INTERVAL_MINUTES: scheduleMinutes.default(60),
  /** How many UTC days back each usage reconciliation reads (today included). */
  USAGE_RECONCILE_DAYS: z.coerce.number().int().min(1).max(31).default(7),
  /**
   * Hours after an hour or day ends before a difference only the portal sees (Microsoft shows
   * another quantity while saying Accepted, or has no row at all) counts: Microsoft's analytics lag
   * behind the Metering API. Microsoft's own Rejected and Mismatch count at once.
   */
  USAGE_RECONCILE_GRACE_HOURS: z.coerce
    .number()
    .int()
    .min(0)
    .max(7 * 24)
    .default(24),
});
export type MeteringEnv = z.infer<typeof meteringSchema>;

/** Comma-separated entries, trimmed, lower-case, empties dropped. */
const commaList = z.string().transform((text) =>
  text
    .split(",")
    .map((entry) => entry.trim().toLowerCase())
    .filter(Boolean),
);

/**
 * Where events may go although the address is not public (lib/events/delivery-target.ts): host
 * names (`localhost`, `product.internal`), IP addresses or CIDR ranges (`10.20.0.0/16`).
 */
const allowedHosts = commaList.superRefine((entries, context) => {
  for (const entry of entries) {
    const [address, bits, extra] = entry.split("/");
    if (extra !== undefined || (bits !== undefined && !/^\d{1,3}$/.test(bits)) || !address)
      context.addIssue({ code: "custom", message: `"${entry}" is not a host name, an IP address or a CIDR range` });
    else if (bits !== undefined && !isIP(address))
      context.addIssue({ code: "custom", message: `"${entry}": a /prefix needs an IP address before it` });
    else if (bits !== undefined && Number(bits) > (isIP(address) === 4 ? 32 : 128))
      context.addIssue({ code: "custom", message: `"${entry}": the prefix length is too long` });
    else if (!isIP(address) && !/^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$/.test(address))
      context.addIssue({ code: "custom", message: `"${entry}" is not a host name, an IP address or a CIDR range` });
  }
});

const eventsSchema = z.object({
  /**
   * Hosts events may be delivered to although they resolve to a private, loopback or link-local
   * address (SSRF guard). Empty: public addresses only. The local sandbox's sample product needs `localhost`.
   */
  EVENT_ENDPOINT_ALLOWED_HOSTS: allowedHosts.default([]),
  /** One delivery attempt (connect, send, answer) ends after this long. */
  EVENT_DELIVERY_TIMEOUT_SECONDS: z.coerce.number().positive().max(60).default(15),
  /** First retry after about this long; each next one waits twice as long (with jitter), up to the maximum below. */
  EVENT_RETRY_BASE_SECONDS: z.coerce.number().positive().default(30),
  EVENT_RETRY_MAX_DELAY_SECONDS: z.coerce
    .number()
    .positive()
    .default(6 * 3600),
  /** A delivery still failing this long after its first attempt is dead-lettered (replayable from the console). */
  EVENT_RETRY_WINDOW_HOURS: z.coerce
    .number()
    .positive()
    .max(30 * 24)
    .default(72),
  /** After a secret rotation, deliveries are signed with the old secret too for this long (the console's default). */
  EVENT_SECRET_OVERLAP_HOURS: z.coerce
    .number()
    .min(0)
    .max(30 * 24)
    .default(24),
  /** Deliveries to one endpoint running at once in one process (of the 8 delivery workers): a slow endpoint leaves the rest to others. */
  EVENT_ENDPOINT_MAX_IN_FLIGHT: positiveInt.max(64).default(2),
});
export type EventsEnv = z.infer<typeof eventsSchema>;

/** An email address as a mail header may carry it: no spaces, quotes, angle brackets or line breaks. */
const mailAddress = z
  .string()
  .trim()
  .toLowerCase()
  .pipe(z.email({ error: "is not an email address" }));

/** `Name <address>` or a bare address; the name loses line breaks (header injection). */
const mailbox = z
  .string()
  .trim()
  .transform((text, context) => {
    const match = /^(?:"?([^"<>]*?)"?\s*)?<([^<>\s]+)>$/.exec(text);
    const name = match ? (match[1] ?? "").replace(/[\r\n\t]+/g, " ").trim() : "";
    const address = z.email().safeParse(match ? match[2] : text);
    if (!address.success) {
      context.addIssue({ code: "custom", message: 'must be an address, or "Name <address>"' });
      return z.NEVER;
    }
    return { name, address: address.data };
  });

const addressList = z.string().transform((text, context) => {
  const entries = text
    .split(",")
    .map((entry) => entry.trim())
    .filter(Boolean);
  const addresses: string[] = [];
  for (const entry of entries) {
    const parsed = mailAddress.safeParse(entry);
    if (parsed.success) addresses.push(parsed.data);
    else context.addIssue({ code: "custom", message: `"${entry}" is not an email address` });
  }
  return [...new Set(addresses)];
});

/** A Teams workflow or Slack incoming-webhook URL: https, or plain http only to a loopback host (a local receiver). */
const chatUrl = z.url({ protocol: /^https?$/, error: "must be an https:// URL" }).refine((value) => {
  const url = new URL(value);
  return url.protocol === "https:" || isLoopbackHostname(url.hostname);
}, "must be an https:// URL (plain http:// only to localhost)");

/** One alert's recipients: addresses, and a Teams and a Slack URL; false turns a channel off for this alert. */
const alertRoute = z.strictObject({
  email: z.array(mailAddress).optional(),
  teams: z.union([chatUrl, z.literal(false)]).optional(),
  slack: z.union([chatUrl, z.literal(false)]).optional(),
});
export type AlertRouteOverride = z.infer<typeof alertRoute>;

const alertRoutes = z.record(z.string(), alertRoute).superRefine((routes, context) => {
  for (const key of Object.keys(routes))
    if (!(publisherKindNames as string[]).includes(key))
      context.addIssue({
        code: "custom",
        message: `"${key}" is not an alert; the alerts are ${publisherKindNames.join(", ")}`,
      });
}) as unknown as z.ZodType<Partial<Record<PublisherKind, AlertRouteOverride>>>;

const hoursList = z.string().transform((text, context) => {
  const hours = text
    .split(",")
    .map((entry) => entry.trim())
    .filter(Boolean)
    .map(Number);
  if (hours.some((value) => !Number.isInteger(value) || value < 1 || value > 24 * 30))
    context.addIssue({ code: "custom", message: "must be whole hours between 1 and 720, comma-separated" });
  return [...new Set(hours)].sort((a, b) => a - b);
});

/**
 * Mail (SMTP) and notifications (lib/notifications, README “Notifications”). Without SMTP_HOST no
 * email is written at all; Teams and Slack work without it.
 */
const notificationsSchema = z
  .object({
    /** The SMTP server; unset = no email (buyer mails and email alerts are not written). */
    SMTP_HOST: z.string().trim().min(1).optional(),
    SMTP_PORT: z.coerce.number().int().min(1).max(65535).default(587),
    /** starttls (required; port 587), tls (implicit TLS; port 465), none (plain; only to localhost outside production). */
    SMTP_SECURITY: z.enum(["starttls", "tls", "none"]).default("starttls"),
    /** password (SMTP_USER + SMTP_PASSWORD), oauth2 (Entra client credentials, XOAUTH2: Microsoft 365), none. Default: password when SMTP_USER is set. */
    SMTP_AUTH: z.enum(["none", "password", "oauth2"]).optional(),
    SMTP_USER: z.string().trim().min(1).optional(),
    SMTP_PASSWORD: z.string().min(1).optional(),
    /** OAuth2 (Microsoft 365 SMTP AUTH with SMTP.SendAsApp): the app's tenant, id and secret; SMTP_USER is the mailbox it sends as. */
    SMTP_OAUTH_TENANT_ID: uuid.optional(),
    SMTP_OAUTH_CLIENT_ID: uuid.optional(),
    SMTP_OAUTH_CLIENT_SECRET: z.string().min(1).optional(),
    SMTP_OAUTH_AUTHORITY_HOST: serviceUrl.default("https://login.microsoftonline.com"),
    SMTP_OAUTH_SCOPE: z.string().min(1).default("https://outlook.office365.com/.default"),
    /** One SMTP exchange (connect, TLS, send) ends after this long. */
    SMTP_TIMEOUT_SECONDS: z.coerce.number().positive().max(120).default(20),
    /** The sender: `Name <address>` (required with SMTP_HOST). */
    MAIL_FROM: mailbox.optional(),
    MAIL_REPLY_TO: mailAddress.optional(),
    /** Mails to buyers (purchaser and beneficiary); false: only the publisher's alerts. */
    NOTIFY_BUYERS: flag.default(true),
    /** Hours after a purchase whose setup is pending at which a reminder goes (stops once it is done). */
    NOTIFY_SETUP_REMINDER_HOURS: hoursList.default([24, 72]),
    /** The publisher is alerted once when a live subscription's setup has been pending this many days. */
    NOTIFY_SETUP_PENDING_ALERT_DAYS: z.coerce.number().int().min(1).max(90).default(3),
    /** Who receives every alert by email (comma-separated), unless NOTIFY_ALERT_ROUTES says otherwise for one. */
    NOTIFY_ALERT_EMAILS: addressList.default([]),
    /** A Microsoft Teams workflow webhook URL ("Post to a channel when a webhook request is received"); a secret. */
    NOTIFY_ALERT_TEAMS_URL: chatUrl.optional(),
    /** A Slack incoming-webhook URL; a secret. */
    NOTIFY_ALERT_SLACK_URL: chatUrl.optional(),
    /** Per alert: {"usage_rejected": {"email": ["finance@…"], "teams": false}, …} (see README). */
    NOTIFY_ALERT_ROUTES: jsonText(alertRoutes).default({}),
    /** The language of the alerts: en or ja. */
    NOTIFY_ALERT_LOCALE: z.enum(locales).default("en"),
    /** Hosts Teams/Slack URLs may resolve to although they are not public (the SSRF guard of lib/events): e.g. localhost for the sandbox's receiver. */
    NOTIFY_WEBHOOK_ALLOWED_HOSTS: allowedHosts.default([]),
    NOTIFY_WEBHOOK_TIMEOUT_SECONDS: z.coerce.number().positive().max(60).default(10),
    /** A failed send is retried after about this long, then twice as long each time (with jitter), up to the maximum. */
    NOTIFY_RETRY_BASE_SECONDS: z.coerce.number().positive().default(30),
    NOTIFY_RETRY_MAX_DELAY_SECONDS: z.coerce.number().positive().default(1800),
    /** A notification still failing this long after its first attempt is marked failed (the console can send it again). */
    NOTIFY_RETRY_WINDOW_HOURS: z.coerce
      .number()
      .positive()
      .max(7 * 24)
      .default(24),
    NODE_ENV: z.string().optional(),
  })
  .superRefine((settings, context) => {
    if (!settings.SMTP_HOST) return;
    if (!settings.MAIL_FROM)
      context.addIssue({
        code: "custom",
        path: ["MAIL_FROM"],
        message: 'is required with SMTP_HOST ("Name <address>")',
      });
    const auth = settings.SMTP_AUTH ?? (settings.SMTP_USER ? "password" : "none");
    if (auth === "password" && (!settings.SMTP_USER || !settings.SMTP_PASSWORD))
      context.addIssue({
        code: "custom",
        path: ["SMTP_PASSWORD"],
        message: "SMTP_AUTH=password needs SMTP_USER and SMTP_PASSWORD",
      });
    if (auth === "oauth2")
      for (const key of [
        "SMTP_USER",
        "SMTP_OAUTH_TENANT_ID",
        "SMTP_OAUTH_CLIENT_ID",
        "SMTP_OAUTH_CLIENT_SECRET",
      ] as const)
        if (!settings[key])
          context.addIssue({ code: "custom", path: [key], message: "is required with SMTP_AUTH=oauth2" });
    if (settings.SMTP_SECURITY === "none") {
      const why = !isLoopbackHostname(settings.SMTP_HOST)
        ? "plain SMTP is allowed only to a server on localhost"
        : settings.NODE_ENV === "production"
          ? "plain SMTP is allowed only when NODE_ENV is not production"
          : undefined;
      if (why)
        context.addIssue({ code: "custom", path: ["SMTP_SECURITY"], message: `must be starttls or tls (${why})` });
    }
  })
  .transform(({ NODE_ENV: _nodeEnv, ...settings }) => ({
    ...settings,
    SMTP_AUTH: settings.SMTP_AUTH ?? (settings.SMTP_USER ? ("password" as const) : ("none" as const)),
  }));
export type NotificationsEnv = z.infer<typeof notificationsSchema>;

/** `tid:oid` pairs, comma-separated (Entra ids, never emails). */
const adminUsers = z.string().transform((text, context) => {
  const entries = text
    .split(",")
    .map((entry) => entry.trim().toLowerCase())
    .filter(Boolean);
  for (const entry of entries) {
    if (!/^[0-9a-f-]{36}:[0-9a-f-]{36}$/.test(entry))
      context.addIssue({ code: "custom", message: `"${entry}" is not a tid:oid pair of GUIDs` });
  }
  return entries;
});

const adminSchema = z.object({
  /** Publisher-tenant users who are admins without the Publisher.Admin app role. */
  ADMIN_USERS: adminUsers.default([]),
});
export type AdminEnv = z.infer<typeof adminSchema>;

const portalSchema = z.object({
  PUBLIC_BASE_URL: url.default("http://localhost:3000"),
  PRODUCT_URL: url.default("http://localhost:3000/account"),
  PRODUCT_NAME: z.string().min(1).default("Contoso SaaS"),
  /** Shown on pages that link back to the marketplace (e.g. "open the sandbox"). Optional. */
  MARKETPLACE_PORTAL_URL: url.default(
    "https://portal.azure.com/#view/HubsExtension/BrowseResource/resourceType/Microsoft.SaaS%2Fresources",
  ),
});

/**
 * A private signing key of the hand-off into the product (docs/decisions/0014), as a JWK: ES256
 * (`kty: "EC"`, `crv: "P-256"`) or EdDSA (`kty: "OKP"`, `crv: "Ed25519"`), with a `kid` the
 * product finds it by in /.well-known/jwks.json. Messages never repeat the key material.
 */
const signingJwk = z
  .object({
    kty: z.enum(["EC", "OKP"], { error: 'must be "EC" (ES256, P-256) or "OKP" (EdDSA, Ed25519)' }),
    kid: z
      .string({ error: "is required (the product finds the key by it)" })
      .regex(/^[A-Za-z0-9._-]{1,64}$/, "must be 1–64 letters, digits, . _ -"),
    crv: z.string({ error: "is required" }),
    x: z.string({ error: "is required" }),
    y: z.string().optional(),
    d: z.string({ error: "is required: this is the private key (the public part is derived from it)" }),
    alg: z.string().optional(),
  })
  .superRefine((jwk, context) => {
    const expected = jwk.kty === "EC" ? { crv: "P-256", alg: "ES256" } : { crv: "Ed25519", alg: "EdDSA" };
    if (jwk.crv !== expected.crv)
      context.addIssue({ code: "custom", path: ["crv"], message: `must be "${expected.crv}" for kty "${jwk.kty}"` });
    else if (jwk.alg !== undefined && jwk.alg !== expected.alg)
      context.addIssue({
        code: "custom",
        path: ["alg"],
        message: `must be "${expected.alg}" for this key (or absent)`,
      });
    else {
      try {
        createPrivateKey({ key: { ...jwk }, format: "jwk" });
      } catch {
        context.addIssue({ code: "custom", message: "is not a valid private key (check x, y and d)" });
      }
    }
  })
  .transform((jwk) => ({
    kid: jwk.kid,
    alg: jwk.kty === "EC" ? ("ES256" as const) : ("EdDSA" as const),
    jwk: { kty: jwk.kty, crv: jwk.crv, x: jwk.x, ...(jwk.y ? { y: jwk.y } : {}), d: jwk.d },
  }));
export type HandoffSigningKey = z.output<typeof signingJwk>;

/** One key or a list of them: the first signs, all are published. Also reads the generated key's file. */
export const handoffSigningKeysSchema = z.preprocess(
  (value): unknown[] => (Array.isArray(value) ? (value as unknown[]) : [value]),
  z
    .array(signingJwk)
    .min(1, "must hold at least one key")
    .max(3, "must hold at most 3 keys (the current one, and the next or the previous one)")
    .refine((keys) => new Set(keys.map((key) => key.kid)).size === keys.length, "must give each key its own kid"),
);

const handoffSchema = z.object({
  /**
   * The hand-off's private signing keys: a JWK or a JSON array of them (at most 3). The first
   * signs; all are published. Rotation: add the next key second, wait for products' caches
   * (10 minutes), move it first, wait the token lifetime plus the cache again, drop the old one.
   * Unset: a key is generated and kept in HANDOFF_KEY_FILE (not allowed against Microsoft).
   */
  HANDOFF_SIGNING_KEYS: jsonText(handoffSigningKeysSchema).optional(),
  /** Where the generated key of a development or sandbox portal is kept. */
  HANDOFF_KEY_FILE: z.string().min(1).default(DEFAULT_HANDOFF_KEY_FILE),
  /** How long a hand-off token is valid: the buyer's browser posts it at once. */
  HANDOFF_TOKEN_TTL_SECONDS: z.coerce
    .number()
    .int()
    .min(10, "must be at least 10")
    .max(300, "must be at most 300 (5 minutes)")
    .default(120),
});
export type HandoffEnv = z.infer<typeof handoffSchema>;

/** `key=value,key2=value2` (OTEL_RESOURCE_ATTRIBUTES, OTEL_EXPORTER_OTLP_HEADERS): values percent-decoded. */
const keyValueList = z.string().transform((text, context) => {
  const pairs: Record<string, string> = {};
  for (const entry of text.split(",").map((part) => part.trim())) {
    if (!entry) continue;
    const at = entry.indexOf("=");
    const key = at > 0 ? entry.slice(0, at).trim() : "";
    if (!key) {
      // The value may be a secret (an API key in a header): the message names the key only.
      context.addIssue({ code: "custom", message: "each entry must be key=value, separated by commas" });
      continue;
    }
    try {
      pairs[key] = decodeURIComponent(entry.slice(at + 1).trim());
    } catch {
      context.addIssue({ code: "custom", message: `the value of "${key}" is not valid percent-encoding` });
    }
  }
  return pairs;
});

const otlpProtocol = z.enum(["http/protobuf", "http/json"], {
  error:
    'must be "http/protobuf" or "http/json": the portal speaks OTLP over HTTP (a collector listens on port 4318), not gRPC',
});
const signalExporter = z.enum(["otlp", "none"], {
  error: 'must be "otlp" or "none" (to read telemetry locally, see the README "OpenTelemetry": npm run otel:console)',
});
const samplers = [
  "always_on",
  "always_off",
  "traceidratio",
  "parentbased_always_on",
  "parentbased_always_off",
  "parentbased_traceidratio",
] as const;

/**
 * OpenTelemetry (docs/decisions/0017): the standard OTEL_* variables, read here like every other
 * setting. Off unless asked for: an OTLP endpoint, or OTEL_TRACES_EXPORTER / OTEL_METRICS_EXPORTER
 * set to otlp (which then defaults to a collector on localhost:4318); OTEL_SDK_DISABLED=true turns
 * it off whatever else is set.
 */
const telemetrySchema = z
  .object({
    OTEL_SDK_DISABLED: flag.default(false),
    OTEL_SERVICE_NAME: z.string().min(1).default("marketplace-portal"),
    OTEL_RESOURCE_ATTRIBUTES: keyValueList.default({}),
    OTEL_EXPORTER_OTLP_ENDPOINT: url.optional(),
    OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: url.optional(),
    OTEL_EXPORTER_OTLP_METRICS_ENDPOINT: url.optional(),
    OTEL_EXPORTER_OTLP_PROTOCOL: otlpProtocol.default("http/protobuf"),
    OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: otlpProtocol.optional(),
    OTEL_EXPORTER_OTLP_METRICS_PROTOCOL: otlpProtocol.optional(),
    OTEL_EXPORTER_OTLP_HEADERS: keyValueList.default({}),
    /** One export's time limit (ms). Shorter than the specification's 10 s: telemetry waits, never a request. */
    OTEL_EXPORTER_OTLP_TIMEOUT: positiveInt.max(60_000).default(5_000),
    OTEL_TRACES_EXPORTER: signalExporter.optional(),
    OTEL_METRICS_EXPORTER: signalExporter.optional(),
    OTEL_TRACES_SAMPLER: z
      .enum(samplers, { error: `must be one of ${samplers.join(", ")}` })
      .default("parentbased_always_on"),
    OTEL_TRACES_SAMPLER_ARG: z.coerce.number().min(0).max(1).optional(),
    /** How often metrics are read and sent (ms): also how often the job queue's depth is queried. */
    OTEL_METRIC_EXPORT_INTERVAL: positiveInt.min(100).default(60_000),
    /** How long finished spans wait to be sent in one batch (ms). */
    OTEL_BSP_SCHEDULE_DELAY: positiveInt.default(5_000),
    /** Spans waiting to be sent; beyond this they are dropped (a collector that is down costs no memory). */
    OTEL_BSP_MAX_QUEUE_SIZE: positiveInt.max(100_000).default(2_048),
    /** The SDK's own diagnostics in the log (none by default: export failures are logged once by the portal). */
    OTEL_LOG_LEVEL: z
      .string()
      .transform((level) => level.toLowerCase())
      .pipe(z.enum(["none", "error", "warn", "info", "debug", "verbose", "all"]))
      .default("none"),
  })
  .transform((env) => {
    const base = env.OTEL_EXPORTER_OTLP_ENDPOINT ?? "http://localhost:4318";
    const signal = (
      exporter: "otlp" | "none" | undefined,
      specific: string | undefined,
      path: string,
      protocol: z.infer<typeof otlpProtocol> | undefined,
    ) => {
      // Opt-in: an endpoint for the signal, or its exporter named explicitly.
      const chosen = exporter ?? (specific || env.OTEL_EXPORTER_OTLP_ENDPOINT ? "otlp" : "none");
      if (env.OTEL_SDK_DISABLED || chosen === "none") return null;
      // A signal's own endpoint is used as it is; the general one gets the signal's path (OTLP specification).
      return { url: specific ?? `${base}/${path}`, protocol: protocol ?? env.OTEL_EXPORTER_OTLP_PROTOCOL };
    };
    const traces = signal(
      env.OTEL_TRACES_EXPORTER,
      env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT,
      "v1/traces",
      env.OTEL_EXPORTER_OTLP_TRACES_PROTOCOL,
    );
    const metrics = signal(
      env.OTEL_METRICS_EXPORTER,
      env.OTEL_EXPORTER_OTLP_METRICS_ENDPOINT,
      "v1/metrics",
      env.OTEL_EXPORTER_OTLP_METRICS_PROTOCOL,
    );
    return {
      enabled: traces !== null || metrics !== null,
      serviceName: env.OTEL_SERVICE_NAME,
      resourceAttributes: env.OTEL_RESOURCE_ATTRIBUTES,
      traces,
      metrics,
      headers: env.OTEL_EXPORTER_OTLP_HEADERS,
      timeoutMs: env.OTEL_EXPORTER_OTLP_TIMEOUT,
      sampler: { name: env.OTEL_TRACES_SAMPLER, ratio: env.OTEL_TRACES_SAMPLER_ARG ?? 1 },
      metricExportIntervalMs: env.OTEL_METRIC_EXPORT_INTERVAL,
      spanExportDelayMs: env.OTEL_BSP_SCHEDULE_DELAY,
      spanQueueSize: env.OTEL_BSP_MAX_QUEUE_SIZE,
      logLevel: env.OTEL_LOG_LEVEL,
    };
  });
export type TelemetrySettings = z.output<typeof telemetrySchema>;

export type DatabaseEnv = z.infer<typeof databaseSchema>;
export type AuthEnv = z.infer<typeof authSchema>;
export type MarketplaceEnv = z.infer<typeof marketplaceSchema>;
export type PortalEnv = z.infer<typeof portalSchema>;

const catalogSchema = z.object({
  /** The offer catalog (README "Offer catalog"); relative to the working directory. Default config/catalog.json, which may be absent. */
  CATALOG_FILE: z.string().min(1).optional(),
});
export type CatalogEnv = z.infer<typeof catalogSchema>;

export class ConfigurationError extends Error {
  constructor(section: string, issues: string[]) {
    super(
      `Invalid ${section} configuration:\n${issues.map((issue) => `  - ${issue}`).join("\n")}\nSee .env.example and the README's "Production setup".`,
    );
    this.name = "ConfigurationError";
  }
}

function section<T extends z.ZodType>(name: string, schema: T): () => z.infer<T> {
  let cached: z.infer<T> | undefined;
  return () => {
    if (cached !== undefined) return cached;
    // Empty strings in .env files mean "not set".
    const source = Object.fromEntries(Object.entries(process.env).filter(([, value]) => value !== ""));
    const parsed = schema.safeParse(source);
    if (!parsed.success) {
      throw new ConfigurationError(
        name,
        parsed.error.issues.map((issue) => `${issue.path.join(".") || "(root)"}: ${issue.message}`),
      );
    }
    cached = parsed.data;
    return cached;
  };
}

/** `next dev`: the page policy (proxy.ts) allows what React's development build needs. */
export const isDevelopment = () => process.env.NODE_ENV === "development";

export const databaseEnv = section("database", databaseSchema);
export const authEnv = section("sign-in", authSchema);
export const marketplaceEnv = section("marketplace", marketplaceSchema);
export const portalEnv = section("portal", portalSchema);
export const catalogEnv = section("offer catalog", catalogSchema);
export const webhookEnv = section("webhook", webhookSchema);
export const policyEnv = section("publisher policy", policyEnvSchema);
export const reconciliationEnv = section("reconciliation", reconciliationSchema);
export const retentionEnv = section("retention", retentionSchema);
export const jobsEnv = section("background jobs", jobsSchema);
export const meteringEnv = section("metering", meteringSchema);
export const adminEnv = section("admin", adminSchema);
export const handoffEnv = section("product hand-off", handoffSchema);
export const eventsEnv = section("events", eventsSchema);
export const telemetryEnv = section("OpenTelemetry", telemetrySchema);
export const notificationsEnv = section("notifications", notificationsSchema);

/** Parses every section; throws one error listing every problem. */
export function validateEnv(): void {
  const problems: string[] = [];
  for (const read of [
    databaseEnv,
    authEnv,
    marketplaceEnv,
    portalEnv,
    catalogEnv,
    webhookEnv,
    policyEnv,
    reconciliationEnv,
    retentionEnv,
    jobsEnv,
    meteringEnv,
    adminEnv,
    handoffEnv,
    eventsEnv,
    telemetryEnv,
    notificationsEnv,
  ]) {
    try {
      read();
    } catch (error) {
      problems.push(error instanceof Error ? error.message : String(error));
    }
  }
  if (problems.length === 0) {
    // The sample secret from .env.example must never sign real buyers' sessions.
    const talksToMicrosoft = new URL(marketplaceEnv().ENTRA_AUTHORITY_HOST).hostname === "login.microsoftonline.com";
    if (talksToMicrosoft && authEnv().AUTH_SECRET.startsWith("local-sandbox-only")) {
      problems.push(
        "Invalid sign-in configuration:\n  - AUTH_SECRET: the sample value from .env.example is not allowed against Microsoft; generate one with `openssl rand -base64 33`.",
      );
    }
    // A key generated on one machine's disk is for the sandbox: every instance must sign with the same keys.
    if (talksToMicrosoft && !handoffEnv().HANDOFF_SIGNING_KEYS) {
      problems.push(
        "Invalid product hand-off configuration:\n  - HANDOFF_SIGNING_KEYS: required against Microsoft (a private JWK, or a JSON array of them); generate one with `npm run handoff:keygen`.",
      );
    }
  }
  if (problems.length > 0) throw new Error(problems.join("\n"));
}
