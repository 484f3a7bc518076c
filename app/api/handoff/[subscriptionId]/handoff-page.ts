/**
 * The one small page of the hand-off (docs/decisions/0014): it posts the token to the product
 * at once (an inline script, allowed by this response's own nonce), or, without JavaScript, on a
 * click of its button. Its Content-Security-Policy lets the form go to the product's origin only.
 */
import { randomBytes } from "node:crypto";
import { HANDOFF_FORM_FIELD } from "@/lib/handoff/handoff-claims";

const escape = (value: string) => value.replace(/[&<>"'`]/g, (c) => `&#${c.charCodeAt(0)};`);

const CSS = `
body{margin:0;font:16px/1.5 "Segoe UI",system-ui,-apple-system,Arial,sans-serif;background:#f8fafc;color:#0f172a}
main{max-width:36rem;margin:12vh auto;padding:2rem;background:#fff;border:1px solid #e2e8f0;border-radius:.5rem}
h1{font-size:1.5rem;margin:0 0 .5rem}p{color:#334155}
button,a.button{display:inline-block;font:inherit;font-weight:500;padding:.6rem 1.25rem;border-radius:.375rem;border:0;background:#0f62c9;color:#fff;cursor:pointer;text-decoration:none}
button:hover,a.button:hover{background:#0b4fa3}:focus-visible{outline:3px solid #0f62c9;outline-offset:2px}
.muted{font-size:.875rem;color:#64748b}`;

function page(options: {
  status: number;
  lang: string;
  title: string;
  body: string;
  formAction?: string;
  script?: string;
}) {
  const nonce = randomBytes(16).toString("base64");
  const policy = [
    "default-src 'none'",
    `style-src 'nonce-${nonce}'`,
    options.script ? `script-src 'nonce-${nonce}'` : "script-src 'none'",
    `form-action ${options.formAction ? new URL(options.formAction).origin : "'none'"}`,
    "base-uri 'none'",
    "frame-ancestors 'none'",
  ].join("; ");
  const html = `<!doctype html>
<html lang="${escape(options.lang)}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>${escape(options.title)}</title>
<style nonce="${nonce}">${CSS}</style>
</head>
<body>
<main>
${options.body}
</main>
${options.script ? `<script nonce="${nonce}">${options.script}</script>` : ""}
</body>
</html>
`;
  return new Response(html, {
    status: options.status,
    headers: {
      "content-type": "text/html; charset=utf-8",
      "content-security-policy": policy,
      // The token must not be kept, and the product learns nothing from a Referer.
      "cache-control": "no-store",
      "referrer-policy": "no-referrer",
      "x-content-type-options": "nosniff",
    },
  });
}

/** The page's words, in the reader's language (messages: handoff.opening), the product named. */
export interface HandoffPageText {
  title: string;
  status: string;
  button: string;
  note: string;
}

/** Posts the token to the product: at once with JavaScript, on the button without. */
export function handoffPage(options: { productUrl: string; token: string; lang: string; text: HandoffPageText }) {
  const { text } = options;
  return page({
    status: 200,
    lang: options.lang,
    title: text.title,
    formAction: options.productUrl,
    body: `<h1>${escape(text.title)}</h1>
<p role="status">${escape(text.status)}</p>
<form id="handoff" method="post" action="${escape(options.productUrl)}">
<input type="hidden" name="${HANDOFF_FORM_FIELD}" value="${escape(options.token)}">
<button type="submit">${escape(text.button)}</button>
</form>
<p class="muted">${escape(text.note)}</p>`,
    script: `document.getElementById("handoff").submit();`,
  });
}

/** Why the product cannot be opened, and the way forward. */
export function refusalPage(options: {
  status: number;
  lang: string;
  title: string;
  message: string;
  back: { href: string; label: string };
  /** "Reference: …" in the reader's language. */
  reference?: string;
}) {
  return page({
    status: options.status,
    lang: options.lang,
    title: options.title,
    body: `<h1>${escape(options.title)}</h1>
<p role="alert">${escape(options.message)}</p>
${options.reference ? `<p class="muted">${escape(options.reference)}</p>` : ""}
<p><a class="button" href="${escape(options.back.href)}">${escape(options.back.label)}</a></p>`,
  });
}
