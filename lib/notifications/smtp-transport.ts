/**
 * One mail through the configured SMTP server (nodemailer), over TLS: STARTTLS required (port 587)
 * or implicit TLS (465); plain only to a local server outside production (lib/env.ts). Signs in
 * with a user and password, or with OAuth2 (XOAUTH2) using an access token the app gets from Entra
 * ID by client credentials — Microsoft 365's SMTP AUTH with the SMTP.SendAsApp permission, which
 * keeps working after Exchange Online ends basic authentication (README “Notifications”).
 *
 * Never throws: the outcome says whether the message went, and if not whether trying again can
 * help (a 5xx refusal of the recipient or the message cannot; a server that is down, a 4xx, a
 * refused sign-in — a configuration a human fixes — can). Nothing here logs, and no outcome holds
 * a password or a token.
 */
import "server-only";
import { ConfidentialClientApplication, LogLevel } from "@azure/msal-node";
import nodemailer from "nodemailer";
import type SMTPTransport from "nodemailer/lib/smtp-transport";
import { notificationsEnv, portalEnv, type NotificationsEnv } from "../env";
import { headerText } from "./mail-text";

export interface OutgoingMail {
  from: { name: string; address: string };
  to: { name: string | null; address: string };
  replyTo?: string;
  subject: string;
  html: string;
  text: string;
  /** Stable across retries, so a receiving server can tell a repeat. */
  messageId: string;
  headers: Record<string, string>;
}

export type SendOutcome = { ok: true; response: string } | { ok: false; permanent: boolean; error: string };

let oauthClient: { key: string; app: ConfidentialClientApplication } | undefined;

/** An access token for SMTP (XOAUTH2) from Entra ID by client credentials; MSAL caches and renews it. */
async function smtpAccessToken(env: NotificationsEnv): Promise<string> {
  const key = [env.SMTP_OAUTH_AUTHORITY_HOST, env.SMTP_OAUTH_TENANT_ID, env.SMTP_OAUTH_CLIENT_ID].join("|");
  if (oauthClient?.key !== key) {
    const host = new URL(env.SMTP_OAUTH_AUTHORITY_HOST).host;
    oauthClient = {
      key,
      app: new ConfidentialClientApplication({
        auth: {
          clientId: env.SMTP_OAUTH_CLIENT_ID!,
          clientSecret: env.SMTP_OAUTH_CLIENT_SECRET!,
          authority: `${env.SMTP_OAUTH_AUTHORITY_HOST}/${env.SMTP_OAUTH_TENANT_ID}`,
          ...(host === "login.microsoftonline.com" ? {} : { knownAuthorities: [host] }),
        },
        system: { loggerOptions: { logLevel: LogLevel.Error, piiLoggingEnabled: false, loggerCallback: () => {} } },
      }),
    };
  }
  const result = await oauthClient.app.acquireTokenByClientCredential({ scopes: [env.SMTP_OAUTH_SCOPE] });
  if (!result?.accessToken) throw new Error("Entra ID answered without an access token");
  return result.accessToken;
}

async function transportOptions(env: NotificationsEnv): Promise<SMTPTransport.Options> {
  const timeout = env.SMTP_TIMEOUT_SECONDS * 1000;
  const auth =
    env.SMTP_AUTH === "password"
      ? { user: env.SMTP_USER!, pass: env.SMTP_PASSWORD! }
      : env.SMTP_AUTH === "oauth2"
        ? { type: "OAuth2" as const, user: env.SMTP_USER!, accessToken: await smtpAccessToken(env) }
        : undefined;
  return {
    host: env.SMTP_HOST,
    port: env.SMTP_PORT,
    secure: env.SMTP_SECURITY === "tls",
    requireTLS: env.SMTP_SECURITY === "starttls",
    ignoreTLS: env.SMTP_SECURITY === "none",
    ...(auth ? { auth } : {}),
    // The portal's host name in EHLO, not the machine's.
    name: new URL(portalEnv().PUBLIC_BASE_URL).hostname,
    connectionTimeout: timeout,
    greetingTimeout: timeout,
    socketTimeout: timeout,
    tls: { minVersion: "TLSv1.2", servername: env.SMTP_HOST },
    logger: false,
    debug: false,
  };
}

interface SmtpError {
  code?: string;
  responseCode?: number;
  response?: string;
  message?: string;
}

const oneLine = (text: string) => headerText(text, 400);

/** An SMTP failure in words, and whether a later attempt may succeed. */
export function classifySmtpError(error: unknown): { permanent: boolean; error: string } {
  const { code, responseCode, response, message } = (error ?? {}) as SmtpError;
  const answer = response ? oneLine(response) : responseCode ? String(responseCode) : null;
  if (code === "EAUTH")
    return {
      permanent: false,
      error: `The mail server refused the sign-in${answer ? ` (${answer})` : ""}: check SMTP_USER and SMTP_PASSWORD, or the OAuth2 app's SMTP.SendAsApp permission.`,
    };
  if (responseCode && responseCode >= 500 && (code === "EENVELOPE" || code === "EMESSAGE"))
    return { permanent: true, error: `The mail server refused this message for good: ${answer}.` };
  if (responseCode && responseCode >= 400)
    return { permanent: false, error: `The mail server answered ${answer}; trying again later.` };
  if (code === "ETIMEDOUT") return { permanent: false, error: "The mail server did not answer in time." };
  if (code === "ETLS") return { permanent: false, error: `TLS with the mail server failed: ${oneLine(message ?? "")}` };
  return {
    permanent: false,
    error: `Could not reach the mail server${code ? ` (${code})` : ""}: ${oneLine(message ?? String(error))}`,
  };
}

export async function sendMail(mail: OutgoingMail): Promise<SendOutcome> {
  const env = notificationsEnv();
  if (!env.SMTP_HOST) return { ok: false, permanent: true, error: "Email is not configured (SMTP_HOST is not set)." };
  let options: SMTPTransport.Options;
  try {
    options = await transportOptions(env);
  } catch (error) {
    return {
      permanent: false,
      ok: false,
      error: `Could not get an OAuth2 token for the mail server from Entra ID: ${oneLine(error instanceof Error ? error.message : String(error))}`,
    };
  }
  const transport = nodemailer.createTransport(options);
  try {
    const info = await transport.sendMail({
      from: { name: headerText(mail.from.name, 120), address: mail.from.address },
      to: mail.to.name ? { name: headerText(mail.to.name, 120), address: mail.to.address } : mail.to.address,
      ...(mail.replyTo ? { replyTo: mail.replyTo } : {}),
      subject: headerText(mail.subject, 250),
      html: mail.html,
      text: mail.text,
      messageId: mail.messageId,
      headers: Object.fromEntries(Object.entries(mail.headers).map(([name, value]) => [name, headerText(value, 900)])),
      // A message is only what the portal wrote: nothing read from files or URLs.
      disableFileAccess: true,
      disableUrlAccess: true,
    });
    if (info.rejected.length > 0)
      return { ok: false, permanent: true, error: `The mail server refused the recipient: ${oneLine(info.response)}` };
    return { ok: true, response: oneLine(info.response) };
  } catch (error) {
    return { ok: false, ...classifySmtpError(error) };
  } finally {
    transport.close();
  }
}
