/**
 * An alert's summary (mail/alert-summary.ts) as the JSON a chat's incoming webhook takes: a
 * Microsoft Teams workflow ("When a Teams webhook request is received" → post an Adaptive Card) or
 * a Slack incoming webhook (Block Kit). Compact: the title, at most ten facts, a button to the
 * console page. Pure.
 */
import type { AlertSummary } from "./mail/alert-summary";

const MAX_FACTS = 10;

/** Teams workflows take a message whose attachment is an Adaptive Card (schema 1.4 renders in Teams everywhere). */
export function teamsMessage(summary: AlertSummary): object {
  return {
    type: "message",
    attachments: [
      {
        contentType: "application/vnd.microsoft.card.adaptive",
        contentUrl: null,
        content: {
          $schema: "http://adaptivecards.io/schemas/adaptive-card.json",
          type: "AdaptiveCard",
          version: "1.4",
          msteams: { width: "Full" },
          body: [
            { type: "TextBlock", text: summary.intro, isSubtle: true, size: "Small", wrap: true },
            { type: "TextBlock", text: summary.title, weight: "Bolder", size: "Medium", wrap: true },
            {
              type: "FactSet",
              facts: summary.facts.slice(0, MAX_FACTS).map(([title, value]) => ({ title, value })),
            },
          ],
          actions: [{ type: "Action.OpenUrl", title: summary.link.label, url: summary.link.url }],
        },
      },
    ],
  };
}

/** Slack's mrkdwn treats &, < and > as markup: escaped as Slack documents. */
export function slackEscape(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

export function slackMessage(summary: AlertSummary): object {
  const facts = summary.facts.slice(0, MAX_FACTS);
  return {
    // The notification text (and what clients without blocks show).
    text: `${summary.title} (${summary.link.url})`,
    blocks: [
      { type: "context", elements: [{ type: "plain_text", text: summary.intro }] },
      { type: "header", text: { type: "plain_text", text: summary.title.slice(0, 150) } },
      ...(facts.length > 0
        ? [
            {
              type: "section",
              fields: facts.map(([label, value]) => ({
                type: "mrkdwn",
                text: `*${slackEscape(label)}*\n${slackEscape(value)}`.slice(0, 2000),
              })),
            },
          ]
        : []),
      {
        type: "actions",
        elements: [{ type: "button", text: { type: "plain_text", text: summary.link.label }, url: summary.link.url }],
      },
    ],
  };
}
