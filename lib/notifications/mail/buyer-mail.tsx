/**
 * The mails to buyers, one React component per kind, written in the recipient's language from the
 * message catalogs (translator.ts) and rendered to HTML and plain text from the same tree
 * (markup.ts). Links are absolute and built by the sender; none carries a token except the
 * preferences link (signed, for this address only) and a colleague's invitation link (the point of
 * that mail).
 */
import type { ReactNode } from "react";
import type { BuyerKind, Locale } from "../notification-kinds";
import type { NotificationData, SubscriptionFacts } from "../notification-data";
import { Button, Facts, FooterLink, Heading, MailLayout, Paragraph } from "./mail-layout";
import { renderHtml, renderText } from "./markup";
import type { NotificationTranslator } from "./translator";

export interface BuyerMailLinks {
  /** The subscription's page under My subscriptions. */
  account: string;
  /** The account setup page of the subscription. */
  setup: string;
  /** The signed preferences page (language, reminders). */
  preferences: string;
  /** One click: reminders off (non-essential mails only). */
  stopReminders: string | null;
  /** Where a suspended subscription's payment is settled. */
  azurePortal: string;
  /** A colleague's invitation link. */
  invitation: string | null;
}

export interface BuyerMailContext {
  locale: Locale;
  t: NotificationTranslator;
  offerName: string;
  /** An absolute URL, or null. */
  logoUrl: string | null;
  planName: (planId: string) => string;
  recipientName: string | null;
  /** PRODUCT_NAME: who sends it. */
  senderName: string;
  essential: boolean;
  links: BuyerMailLinks;
}

export interface RenderedMail {
  subject: string;
  html: string;
  text: string;
}

type Body<K extends BuyerKind> = (props: { data: NotificationData<K>; context: BuyerMailContext }) => ReactNode;

interface Template<K extends BuyerKind> {
  subject: (data: NotificationData<K>, context: BuyerMailContext) => string;
  preheader: (data: NotificationData<K>, context: BuyerMailContext) => string;
  Body: Body<K>;
}

const date = (iso: string) => new Date(iso);

function SubscriptionFactsTable({ data, context }: { data: SubscriptionFacts; context: BuyerMailContext }) {
  const { t } = context;
  const rows: Array<[string, ReactNode]> = [];
  if (data.subscriptionName) rows.push([t("layout.facts.subscription"), data.subscriptionName]);
  rows.push([t("layout.facts.offer"), context.offerName]);
  rows.push([t("layout.facts.plan"), context.planName(data.planId)]);
  if (data.seats !== null) rows.push([t("layout.facts.seats"), data.seats]);
  return <Facts rows={rows} />;
}

function Greeting({ context }: { context: BuyerMailContext }) {
  const { t, recipientName } = context;
  return (
    <Paragraph>
      {recipientName ? t("layout.greeting", { name: recipientName }) : t("layout.greetingAnonymous")}
    </Paragraph>
  );
}

const templates: { [K in BuyerKind]: Template<K> } = {
  purchase_received: {
    subject: (_data, { t, offerName }) => t("purchase_received.subject", { offer: offerName }),
    preheader: (_data, { t }) => t("purchase_received.preheader"),
    Body: ({ data, context: c }) => (
      <>
        <Heading>{c.t("purchase_received.heading", { offer: c.offerName })}</Heading>
        <Paragraph>{c.t("purchase_received.body", { offer: c.offerName })}</Paragraph>
        <SubscriptionFactsTable data={data} context={c} />
        <Button href={c.links.setup}>{c.t("purchase_received.action")}</Button>
        <Paragraph muted>{c.t("purchase_received.signIn")}</Paragraph>
      </>
    ),
  },
  setup_reminder: {
    subject: (_data, { t, offerName }) => t("setup_reminder.subject", { offer: offerName }),
    preheader: (_data, { t }) => t("setup_reminder.preheader"),
    Body: ({ data, context: c }) => (
      <>
        <Heading>{c.t("setup_reminder.heading", { offer: c.offerName })}</Heading>
        <Paragraph>{c.t("setup_reminder.body", { offer: c.offerName, date: date(data.purchasedAt) })}</Paragraph>
        <SubscriptionFactsTable data={data} context={c} />
        <Button href={c.links.setup}>{c.t("setup_reminder.action")}</Button>
      </>
    ),
  },
  subscription_active: {
    subject: (_data, { t, offerName }) => t("subscription_active.subject", { offer: offerName }),
    preheader: (_data, { t }) => t("subscription_active.preheader"),
    Body: ({ data, context: c }) => (
      <>
        <Heading>{c.t("subscription_active.heading", { offer: c.offerName })}</Heading>
        <Paragraph>{c.t("subscription_active.body", { offer: c.offerName })}</Paragraph>
        <SubscriptionFactsTable data={data} context={c} />
        <Button href={c.links.account}>{c.t("subscription_active.action")}</Button>
      </>
    ),
  },
  change_completed: {
    subject: (_data, { t, offerName }) => t("change_completed.subject", { offer: offerName }),
    preheader: (_data, { t }) => t("change_completed.preheader"),
    Body: ({ data, context: c }) => (
      <>
        <Heading>{c.t("change_completed.heading")}</Heading>
        {data.planChange ? (
          <Paragraph>
            {c.t("change_completed.plan", {
              from: c.planName(data.planChange.from),
              to: c.planName(data.planChange.to),
            })}
          </Paragraph>
        ) : null}
        {data.seatsChange ? (
          <Paragraph>
            {c.t("change_completed.seats", { from: data.seatsChange.from ?? "–", to: data.seatsChange.to ?? "–" })}
          </Paragraph>
        ) : null}
        <SubscriptionFactsTable data={data} context={c} />
        <Paragraph muted>{c.t("change_completed.billing")}</Paragraph>
        <Button href={c.links.account}>{c.t("change_completed.action")}</Button>
      </>
    ),
  },
  change_failed: {
    subject: (_data, { t, offerName }) => t("change_failed.subject", { offer: offerName }),
    preheader: (_data, { t }) => t("change_failed.preheader"),
    Body: ({ data, context: c }) => (
      <>
        <Heading>{c.t("change_failed.heading")}</Heading>
        <Paragraph>
          {c.t("change_failed.what", {
            action: data.action,
            plan: data.requestedPlanId ? c.planName(data.requestedPlanId) : "",
            seats: data.requestedQuantity ?? "",
          })}
        </Paragraph>
        <Paragraph>
          {data.by === "microsoft"
            ? c.t("change_failed.reasonMicrosoft", { reason: data.reason })
            : c.t("change_failed.reasonPublisher", { reason: data.reason })}
        </Paragraph>
        <SubscriptionFactsTable data={data} context={c} />
        <Paragraph>{c.t("change_failed.next")}</Paragraph>
        <Button href={c.links.account}>{c.t("change_failed.action")}</Button>
      </>
    ),
  },
  suspended: {
    subject: (_data, { t, offerName }) => t("suspended.subject", { offer: offerName }),
    preheader: (_data, { t }) => t("suspended.preheader"),
    Body: ({ data, context: c }) => (
      <>
        <Heading>{c.t("suspended.heading")}</Heading>
        <Paragraph>{c.t("suspended.body", { offer: c.offerName })}</Paragraph>
        <SubscriptionFactsTable data={data} context={c} />
        <Paragraph>{c.t("suspended.todo")}</Paragraph>
        <Button href={c.links.azurePortal}>{c.t("suspended.action")}</Button>
      </>
    ),
  },
  reinstated: {
    subject: (_data, { t, offerName }) => t("reinstated.subject", { offer: offerName }),
    preheader: (_data, { t, offerName }) => t("reinstated.preheader", { offer: offerName }),
    Body: ({ data, context: c }) => (
      <>
        <Heading>{c.t("reinstated.heading")}</Heading>
        <Paragraph>{c.t("reinstated.body", { offer: c.offerName })}</Paragraph>
        <SubscriptionFactsTable data={data} context={c} />
        <Button href={c.links.account}>{c.t("reinstated.action")}</Button>
      </>
    ),
  },
  cancelled: {
    subject: (data, { t, offerName }) =>
      data.endedBeforeActivation
        ? t("cancelled.endedSubject", { offer: offerName })
        : t("cancelled.subject", { offer: offerName }),
    preheader: (data, { t }) => (data.endedBeforeActivation ? t("cancelled.endedPreheader") : t("cancelled.preheader")),
    Body: ({ data, context: c }) =>
      data.endedBeforeActivation ? (
        <>
          <Heading>{c.t("cancelled.endedHeading")}</Heading>
          <Paragraph>{c.t("cancelled.endedBody", { offer: c.offerName })}</Paragraph>
          <SubscriptionFactsTable data={data} context={c} />
        </>
      ) : (
        <>
          <Heading>{c.t("cancelled.heading")}</Heading>
          <Paragraph>{c.t("cancelled.body", { offer: c.offerName })}</Paragraph>
          <SubscriptionFactsTable data={data} context={c} />
          <Paragraph>
            {data.dataRetainedUntil
              ? c.t("cancelled.retention", { offer: c.offerName, date: date(data.dataRetainedUntil) })
              : c.t("cancelled.retentionUnknown")}
          </Paragraph>
          <Button href={c.links.account}>{c.t("cancelled.action")}</Button>
        </>
      ),
  },
  colleague_invitation: {
    subject: (data, { t, offerName }) =>
      t("colleague_invitation.subject", {
        offer: offerName,
        inviter: data.inviterName ?? t("colleague_invitation.someone"),
      }),
    preheader: (_data, { t }) => t("colleague_invitation.preheader"),
    Body: ({ data, context: c }) => (
      <>
        <Heading>{c.t("colleague_invitation.heading", { offer: c.offerName })}</Heading>
        <Paragraph>
          {c.t("colleague_invitation.body", {
            inviter: data.inviterName ?? c.t("colleague_invitation.someone"),
            offer: c.offerName,
            subscription: data.subscriptionName ?? c.offerName,
            date: date(data.expiresAt),
          })}
        </Paragraph>
        {c.links.invitation ? <Button href={c.links.invitation}>{c.t("colleague_invitation.action")}</Button> : null}
        <Paragraph muted>{c.t("colleague_invitation.ignore")}</Paragraph>
      </>
    ),
  },
};

function Footer({ kind, context: c }: { kind: BuyerKind; context: BuyerMailContext }) {
  const why =
    kind === "colleague_invitation"
      ? c.t("layout.footerInvitation")
      : c.essential
        ? c.t("layout.footerService", { offer: c.offerName })
        : c.t("layout.footerReminder", { offer: c.offerName });
  return (
    <>
      <p style={{ margin: "0 0 8px" }}>{why}</p>
      <p style={{ margin: "0 0 8px" }}>
        {c.links.stopReminders ? (
          <>
            <FooterLink href={c.links.stopReminders}>{c.t("layout.stopReminders")}</FooterLink>
            {" · "}
          </>
        ) : null}
        <FooterLink href={c.links.preferences}>{c.t("layout.preferences")}</FooterLink>
      </p>
      <p style={{ margin: 0 }}>{c.t("layout.sentBy", { product: c.senderName })}</p>
    </>
  );
}

export function composeBuyerMail<K extends BuyerKind>(
  kind: K,
  data: NotificationData<K>,
  context: BuyerMailContext,
): RenderedMail {
  const template = templates[kind] as Template<K>;
  const subject = template.subject(data, context);
  const { Body } = template;
  const tree = (
    <MailLayout
      locale={context.locale}
      subject={subject}
      preheader={template.preheader(data, context)}
      brandName={context.offerName}
      logoUrl={context.logoUrl}
      footer={<Footer kind={kind} context={context} />}
    >
      {kind === "colleague_invitation" ? null : <Greeting context={context} />}
      <Body data={data} context={context} />
    </MailLayout>
  );
  return { subject, html: renderHtml(tree), text: renderText(tree) };
}
