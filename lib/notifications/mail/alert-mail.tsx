/** An alert to the publisher's team as a mail: its summary (alert-summary.ts) in the common layout. */
import type { Locale } from "../notification-kinds";
import type { AlertSummary } from "./alert-summary";
import type { RenderedMail } from "./buyer-mail";
import { Button, Facts, Heading, MailLayout, Paragraph } from "./mail-layout";
import { renderHtml, renderText } from "./markup";

export function composeAlertMail(
  summary: AlertSummary,
  options: { locale: Locale; productName: string },
): RenderedMail {
  const tree = (
    <MailLayout
      locale={options.locale}
      subject={summary.title}
      preheader={summary.intro}
      brandName={options.productName}
      footer={<p style={{ margin: 0 }}>{summary.footer}</p>}
    >
      <Paragraph muted>{summary.intro}</Paragraph>
      <Heading>{summary.title}</Heading>
      <Facts rows={summary.facts} />
      <Button href={summary.link.url}>{summary.link.label}</Button>
    </MailLayout>
  );
  return { subject: `[${options.productName}] ${summary.title}`, html: renderHtml(tree), text: renderText(tree) };
}
