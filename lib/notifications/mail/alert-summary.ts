/**
 * An alert to the publisher's team in a few lines: a title, the facts that matter, and a link to
 * the console page about it. The same summary becomes the alert mail (alert-mail.tsx), the Teams
 * card and the Slack message (chat-message.ts), so the three always say the same.
 */
import type { NotificationData, SubscriptionFacts } from "../notification-data";
import type { PublisherKind } from "../notification-kinds";
import type { NotificationTranslator } from "./translator";

export interface AlertSummary {
  title: string;
  /** "Alert from the … marketplace portal". */
  intro: string;
  facts: Array<[string, string]>;
  link: { label: string; url: string };
  footer: string;
}

export interface AlertContext {
  t: NotificationTranslator;
  offerName: (offerId: string) => string;
  planName: (offerId: string, planId: string) => string;
  /** An absolute URL of a console path. */
  consoleUrl: (path: string) => string;
  productName: string;
}

/** Lists are cut at this many facts, with "and N more". */
const LISTED = 5;

const when = (iso: string) => `${iso.slice(0, 16).replace("T", " ")} UTC`;

function subscriptionRows(data: SubscriptionFacts, c: AlertContext): Array<[string, string]> {
  const { t } = c;
  return [
    [
      t("alert.facts.subscription"),
      data.subscriptionName ? `${data.subscriptionName} (${data.subscriptionId})` : data.subscriptionId,
    ],
    [t("alert.facts.offer"), c.offerName(data.offerId)],
    [t("alert.facts.plan"), c.planName(data.offerId, data.planId)],
    ...(data.seats !== null ? [[t("alert.facts.seats"), String(data.seats)] as [string, string]] : []),
  ];
}

const subscriptionLabel = (data: SubscriptionFacts) => data.subscriptionName || data.subscriptionId;

function listed<T>(items: T[], total: number, row: (item: T) => [string, string], c: AlertContext) {
  const rows = items.slice(0, LISTED).map(row);
  if (total > rows.length) rows.push(["…", c.t("alert.more", { count: total - rows.length })]);
  return rows;
}

type Summarizer<K extends PublisherKind> = (
  data: NotificationData<K>,
  c: AlertContext,
) => { title: string; facts: Array<[string, string]>; path: string };

const summarizers: { [K in PublisherKind]: Summarizer<K> } = {
  new_purchase: (data, c) => ({
    title: c.t("alert.new_purchase.title", {
      offer: c.offerName(data.offerId),
      plan: c.planName(data.offerId, data.planId),
    }),
    facts: [
      ...subscriptionRows(data, c),
      ...(data.tenantId ? [[c.t("alert.facts.tenant"), data.tenantId] as [string, string]] : []),
      [
        c.t("alert.facts.started"),
        data.activatedBy === "marketplace" ? c.t("alert.facts.startedMarketplace") : c.t("alert.facts.startedPortal"),
      ],
    ],
    path: `/admin/subscriptions/${data.subscriptionId}`,
  }),
  setup_pending: (data, c) => ({
    title: c.t("alert.setup_pending.title", { days: data.days, subscription: subscriptionLabel(data) }),
    facts: [...subscriptionRows(data, c), [c.t("alert.facts.since"), when(data.since)]],
    path: `/admin/subscriptions/${data.subscriptionId}`,
  }),
  acknowledgement_failed: (data, c) => ({
    title: c.t("alert.acknowledgement_failed.title", { subscription: subscriptionLabel(data) }),
    facts: [
      ...subscriptionRows(data, c),
      [c.t("alert.facts.operation"), data.operationId],
      [c.t("alert.facts.answer"), data.answer],
      ...(data.microsoftStatus ? [[c.t("alert.facts.microsoftStatus"), data.microsoftStatus] as [string, string]] : []),
      [c.t("alert.facts.reason"), data.reason],
    ],
    path: `/admin/subscriptions/${data.subscriptionId}`,
  }),
  webhook_refused: (data, c) => ({
    title: c.t("alert.webhook_refused.title", { action: data.action }),
    facts: [
      [c.t("alert.facts.subscription"), data.subscriptionId],
      [c.t("alert.facts.action"), data.action],
      [c.t("alert.facts.reason"), data.reason],
    ],
    path: `/admin/webhooks/${data.webhookEventId}`,
  }),
  webhook_token_refused: (data, c) => ({
    title: c.t("alert.webhook_token_refused.title", { mismatch: data.mismatch }),
    facts: [
      [c.t("alert.facts.reason"), data.reason],
      [c.t("alert.facts.firstRefused"), when(data.firstRefusedAt)],
      [c.t("alert.facts.impact"), c.t("alert.webhook_token_refused.impact", { mismatch: data.mismatch })],
      [c.t("alert.facts.action"), c.t("alert.webhook_token_refused.check", { mismatch: data.mismatch })],
    ],
    // The deliveries recorded (none lately, when Microsoft's are the ones refused).
    path: "/admin/webhooks",
  }),
  reconciliation_drift: (data, c) => ({
    title: c.t("alert.reconciliation_drift.title", { count: data.driftCount }),
    facts: [
      [c.t("alert.facts.checked"), String(data.subscriptionsSeen)],
      ...listed(
        data.samples,
        data.driftCount,
        (drift) => [drift.subscriptionId, `${drift.field}: ${drift.local ?? "–"} → ${drift.remote ?? "–"}`],
        c,
      ),
    ],
    path: "/admin/reconciliation",
  }),
  usage_rejected: (data, c) => ({
    title: c.t("alert.usage_rejected.title", { count: data.count }),
    facts: listed(
      data.items,
      data.count,
      (item) => [
        `${item.subscriptionId} · ${item.dimension}`,
        `${when(item.periodStart)}: ${item.quantity} (${item.status}${item.reason ? `: ${item.reason}` : ""})`,
      ],
      c,
    ),
    path: "/admin/usage",
  }),
  usage_expiring: (data, c) => ({
    title: c.t("alert.usage_expiring.title", { count: data.count }),
    facts: listed(
      data.items,
      data.count,
      (item) => [
        `${item.subscriptionId} · ${item.dimension}`,
        `${when(item.periodStart)}: ${item.quantity} (${item.status})`,
      ],
      c,
    ),
    path: "/admin/usage",
  }),
  job_dead_lettered: (data, c) => ({
    title: c.t("alert.job_dead_lettered.title", { job: data.task }),
    facts: [
      [c.t("alert.facts.job"), `${data.task} (${data.id})`],
      [c.t("alert.facts.attempts"), String(data.attempts)],
      [c.t("alert.facts.reason"), data.reason],
    ],
    path: data.consolePath,
  }),
  credentials_failing: (data, c) => ({
    title: c.t("alert.credentials_failing.title"),
    facts: [[c.t("alert.facts.reason"), data.reason]],
    path: "/admin/health",
  }),
  credentials_expiring: (data, c) => ({
    title: c.t("alert.credentials_expiring.title", {
      credential: data.credential,
      days: Math.max(data.daysLeft, 0),
      expired: data.daysLeft <= 0 ? "yes" : "no",
    }),
    facts: [
      [c.t("alert.facts.expires"), c.t("alert.credentials_expiring.date", { date: new Date(data.expiresAt) })],
      ...(data.thumbprint ? ([[c.t("alert.facts.thumbprint"), data.thumbprint]] as [string, string][]) : []),
      [c.t("alert.facts.action"), c.t("alert.credentials_expiring.renew", { credential: data.credential })],
    ],
    path: "/admin/health",
  }),
};

export function summarizeAlert<K extends PublisherKind>(
  kind: K,
  data: NotificationData<K>,
  context: AlertContext,
): AlertSummary {
  const { title, facts, path } = (summarizers[kind] as Summarizer<K>)(data, context);
  return {
    title,
    intro: context.t("alert.intro", { product: context.productName }),
    facts,
    link: { label: context.t("alert.open"), url: context.consoleUrl(path) },
    footer: context.t("alert.footer"),
  };
}
