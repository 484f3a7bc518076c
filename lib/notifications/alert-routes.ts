/**
 * Where each alert to the publisher's team goes: NOTIFY_ALERT_EMAILS, NOTIFY_ALERT_TEAMS_URL and
 * NOTIFY_ALERT_SLACK_URL for every alert, unless NOTIFY_ALERT_ROUTES says otherwise for one (other
 * addresses, another Teams or Slack URL, or `false` for none). Email only when SMTP is configured.
 * The URLs are secrets: they are read here when a message is sent, never stored or shown whole.
 */
import "server-only";
import { notificationsEnv } from "../env";
import type { PublisherKind } from "./notification-kinds";

export interface AlertChannels {
  emails: string[];
  teams: string | null;
  slack: string | null;
}

export function mailConfigured(): boolean {
  return Boolean(notificationsEnv().SMTP_HOST);
}

export function alertChannels(kind: PublisherKind): AlertChannels {
  const env = notificationsEnv();
  const route = env.NOTIFY_ALERT_ROUTES[kind] ?? {};
  const chat = (override: string | false | undefined, fallback: string | undefined) =>
    override === false ? null : (override ?? fallback ?? null);
  return {
    emails: mailConfigured() ? (route.email ?? env.NOTIFY_ALERT_EMAILS) : [],
    teams: chat(route.teams, env.NOTIFY_ALERT_TEAMS_URL),
    slack: chat(route.slack, env.NOTIFY_ALERT_SLACK_URL),
  };
}

/** A chat URL as the console may show it: its host only (the path holds the secret). */
export function chatUrlHost(url: string | null): string | null {
  if (!url) return null;
  try {
    return new URL(url).host;
  } catch {
    return null;
  }
}
