/** The inbox's pages: the list of mails, one mail (HTML and text), the Teams and Slack posts. */
import { html, page, SafeHtml } from "../html";
import type { ChatPost, InboxMail } from "./inbox-state";

const when = (iso: string) => iso.replace("T", " ").slice(0, 19) + " UTC";
const people = (list: InboxMail["to"]) =>
  list.map((entry) => (entry.name ? `${entry.name} <${entry.address}>` : entry.address)).join(", ");

export function mailListPage(mails: readonly InboxMail[]): string {
  return page({
    part: "inbox",
    title: "Mail",
    body: html`<h1>Mail</h1>
<p class="context">The portal's mail server in <code>npm run dev</code> is this one (SMTP on the port the sandbox prints). Newest first; the last 200 are kept. <a href="/inbox/chat">Teams and Slack posts</a></p>
${
  mails.length === 0
    ? html`<p>No mail yet. Buy an auto-activated plan on the <a href="/purchase">purchase page</a>: its “set up your account” mail arrives here.</p>`
    : html`<div class="table-wrap"><table>
<thead><tr><th scope="col">Received</th><th scope="col">To</th><th scope="col">Subject</th><th scope="col">From</th></tr></thead>
<tbody>${mails.map(
        (mail) => html`<tr data-testid="mail-row">
<td class="mono">${when(mail.receivedAt)}</td>
<td>${people(mail.to) || mail.envelope.to.join(", ")}</td>
<td><a href="/inbox/mail/${mail.id}">${mail.subject || "(no subject)"}</a></td>
<td>${people(mail.from)}</td></tr>`,
      )}</tbody></table></div>`
}`,
  });
}

export function mailPage(mail: InboxMail): string {
  const shown = ["date", "message-id", "auto-submitted", "list-unsubscribe", "list-unsubscribe-post", "reply-to"];
  return page({
    part: "inbox",
    title: mail.subject || "Mail",
    body: html`<p><a href="/inbox">← All mail</a></p>
<h1>${mail.subject || "(no subject)"}</h1>
<dl class="facts">
<dt>From</dt><dd>${people(mail.from)}</dd>
<dt>To</dt><dd>${people(mail.to)}</dd>
<dt>Envelope</dt><dd class="mono">${mail.envelope.from ?? "<>"} → ${mail.envelope.to.join(", ")}</dd>
<dt>Received</dt><dd>${when(mail.receivedAt)} · ${mail.tls ? "over TLS" : "not encrypted"} · ${mail.auth ? `signed in as ${mail.auth.user} (${mail.auth.method})` : "not signed in"}</dd>
${shown
  .filter((name) => mail.headers[name])
  .map((name) => html`<dt>${name}</dt><dd class="mono">${mail.headers[name]}</dd>`)}
</dl>
<h2>HTML part</h2>
${
  mail.html
    ? html`<p><a href="/inbox/mail/${mail.id}/html">Open the HTML part as a page</a> (its links work there)</p>
<iframe title="HTML part of the mail" sandbox="" srcdoc="${mail.html}" style="width:100%;height:40rem;border:1px solid #c9c9c9;background:#fff"></iframe>`
    : html`<p>This mail has no HTML part.</p>`
}
<h2>Text part</h2>
${mail.text ? html`<pre data-testid="mail-text" style="white-space:pre-wrap;background:#fff;border:1px solid #c9c9c9;padding:1rem">${mail.text}</pre>` : html`<p>This mail has no text part.</p>`}`,
  });
}

function chatSummary(post: ChatPost): SafeHtml {
  const body = post.body as Record<string, unknown> | null;
  if (post.service === "slack") return html`${typeof body?.text === "string" ? body.text : ""}`;
  const card = (body?.attachments as Array<{ content?: { body?: Array<Record<string, unknown>> } }> | undefined)?.[0]
    ?.content;
  const blocks = card?.body ?? [];
  const title = blocks.filter((block) => block.type === "TextBlock").map((block) => String(block.text));
  const facts = blocks
    .filter((block) => block.type === "FactSet")
    .flatMap((block) => (block.facts as Array<{ title: string; value: string }>) ?? []);
  return html`${title.map((text) => html`<div>${text}</div>`)}<ul class="ops">${facts.map((fact) => html`<li><strong>${fact.title}</strong>: ${fact.value}</li>`)}</ul>`;
}

export function chatPage(posts: readonly ChatPost[], baseUrl: string): string {
  return page({
    part: "inbox",
    title: "Teams and Slack",
    body: html`<h1>Teams and Slack</h1>
<p class="context">Test receivers for the portal's alerts. Point <code>NOTIFY_ALERT_TEAMS_URL</code> at <code>${baseUrl}/inbox/teams/alerts</code> and <code>NOTIFY_ALERT_SLACK_URL</code> at <code>${baseUrl}/inbox/slack/alerts</code> (any name after the service), with <code>NOTIFY_WEBHOOK_ALLOWED_HOSTS=localhost</code>. Teams answers 202, Slack 200 <code>ok</code>, as the real ones do.</p>
${
  posts.length === 0
    ? html`<p>No post yet.</p>`
    : html`<div class="table-wrap"><table>
<thead><tr><th scope="col">Received</th><th scope="col">Service</th><th scope="col">Message</th><th scope="col">Answered</th></tr></thead>
<tbody>${posts.map(
        (post) => html`<tr data-testid="chat-row" data-service="${post.service}">
<td class="mono">${when(post.receivedAt)}</td>
<td>${post.service === "teams" ? "Microsoft Teams" : "Slack"} · ${post.channel}</td>
<td>${chatSummary(post)}<details><summary>JSON</summary><pre class="mono" style="white-space:pre-wrap">${JSON.stringify(post.body, null, 2)}</pre></details></td>
<td>${post.answered}</td></tr>`,
      )}</tbody></table></div>`
}`,
  });
}
