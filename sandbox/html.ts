/**
 * Server-rendered HTML for every sandbox page (identity provider and marketplace emulator).
 * `html` is a tagged template that escapes every interpolated value unless it is already
 * `SafeHtml`, and only `html` makes `SafeHtml`, so forgetting to escape is not possible.
 */

export class SafeHtml {
  private constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
  /** Only for markup written in this codebase (styles, scripts), never for anything from a request. */
  static trusted(markup: string): SafeHtml {
    return new SafeHtml(markup);
  }
}

type Interpolation = SafeHtml | string | number | boolean | null | undefined | readonly Interpolation[];

// Numeric references for every character that can end a text node, an attribute or a template
// literal, so one escaper is right in text and in quoted attributes alike.
function escape(value: string): string {
  return value.replace(/[&<>"'`]/g, (c) => `&#${c.charCodeAt(0)};`);
}

function render(value: Interpolation): string {
  if (value === null || value === undefined || value === false) return "";
  if (value instanceof SafeHtml) return value.value;
  if (Array.isArray(value)) return value.map(render).join("");
  return escape(String(value));
}

export function html(strings: TemplateStringsArray, ...values: Interpolation[]): SafeHtml {
  let out = strings[0] ?? "";
  values.forEach((value, i) => {
    out += render(value) + (strings[i + 1] ?? "");
  });
  return SafeHtml.trusted(out);
}

/** Which stand-in a page belongs to: named in its title and banner. */
export type SandboxPart = "identity" | "marketplace" | "product" | "inbox";

const PARTS: Record<SandboxPart, { name: string; notice: string; nav?: SafeHtml; layout: string }> = {
  identity: {
    name: "Sandbox identity provider",
    notice: "A stand-in for Microsoft Entra ID on this machine. Never enter a real password here.",
    layout: "narrow",
  },
  marketplace: {
    name: "Marketplace sandbox",
    notice: "A stand-in for the Microsoft commercial marketplace, for development and tests only.",
    nav: html`<nav aria-label="Sandbox"><a href="/">Subscriptions</a> · <a href="/purchase">Buy a subscription</a></nav>`,
    layout: "wide",
  },
  product: {
    name: "Sample product",
    notice: "A stand-in for the ISV's own product: it checks the portal's hand-off token and its signed events.",
    nav: html`<nav aria-label="Sample product"><a href="/product">Who arrived</a> · <a href="/product/events">Events</a> · <a href="/product/settings">Settings</a> · <a href="/">Marketplace sandbox</a></nav>`,
    layout: "wide",
  },
  inbox: {
    name: "Sandbox inbox",
    notice: "Every mail the portal sends, and its Teams and Slack alerts, land here instead of reaching anyone.",
    nav: html`<nav aria-label="Sandbox inbox"><a href="/inbox">Mail</a> · <a href="/inbox/chat">Teams and Slack</a> · <a href="/">Marketplace sandbox</a></nav>`,
    layout: "wide",
  },
};

export interface PageOptions {
  part: SandboxPart;
  title: string;
  body: SafeHtml;
  /** Progressive enhancement only: every page works without it. */
  script?: string;
}

export function page({ part, title, body, script }: PageOptions): string {
  const { name, notice, nav, layout } = PARTS[part];
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>${title} · ${name}</title>
<link rel="icon" type="image/svg+xml" href="/favicon.ico">
<style>${SafeHtml.trusted(CSS)}</style>
</head>
<body>
<header class="banner">
  <strong>Local sandbox — not Microsoft.</strong>
  <span>${notice}</span>
  ${nav}
</header>
<main class="${layout}">
${body}
</main>
${script ? html`<script>${SafeHtml.trusted(script)}</script>` : ""}
</body>
</html>
`.value;
}

const CSS = `
:root { color-scheme: light; --accent: #7a3e00; --border: #c9c9c9; --muted: #555; }
* { box-sizing: border-box; }
body { margin: 0; font: 16px/1.5 system-ui, -apple-system, "Segoe UI", sans-serif; color: #1b1b1b; background: #fafafa; }
.banner { background: #fff4e0; border-bottom: 3px solid var(--accent); padding: .75rem 1rem; display: flex; flex-wrap: wrap; gap: .25rem 1rem; align-items: baseline; }
.banner strong { color: var(--accent); }
main { margin: 0 auto; padding: 1rem; }
main.wide { max-width: 72rem; }
main.narrow { max-width: 40rem; }
h1 { font-size: 1.6rem; margin: .5rem 0 1rem; }
h2 { font-size: 1.2rem; margin: 1.5rem 0 .5rem; }
a { color: #0b57a4; }
code { background: #eee; padding: 0 .25rem; }
.context { margin: -.5rem 0 1rem; color: var(--muted); }
form.stack { display: grid; gap: 1rem; max-width: 40rem; background: #fff; border: 1px solid var(--border); border-radius: 8px; padding: 1.25rem; }
.field { display: grid; gap: .25rem; }
.field label { font-weight: 600; }
.check { display: flex; gap: .5rem; align-items: flex-start; }
.check input { margin-top: .3rem; }
.hint { color: var(--muted); font-size: .9rem; margin: 0; }
input[type=text], input[type=number], input[type=email], input[type=password], select, textarea { font: inherit; padding: .45rem .5rem; border: 1px solid #888; border-radius: 4px; width: 100%; background: #fff; }
button { font: inherit; padding: .5rem 1.1rem; border-radius: 4px; border: 1px solid #0b57a4; background: #0b57a4; color: #fff; cursor: pointer; }
button.secondary { background: #fff; color: #0b57a4; }
button:focus-visible, a:focus-visible, input:focus-visible, select:focus-visible, textarea:focus-visible { outline: 3px solid #f0a500; outline-offset: 2px; }
.errors { border: 2px solid #b00020; background: #fdecee; border-radius: 6px; padding: .75rem 1rem; max-width: 40rem; margin-bottom: 1rem; }
.errors ul { margin: .25rem 0 0; padding-left: 1.25rem; }
.table-wrap { overflow-x: auto; }
table { border-collapse: collapse; width: 100%; background: #fff; }
th, td { border: 1px solid var(--border); padding: .4rem .5rem; text-align: left; vertical-align: top; }
th { background: #f0f0f0; }
td form { margin: 0; }
.status { font-weight: 600; white-space: nowrap; }
.mono { font-family: ui-monospace, SFMono-Regular, Menlo, monospace; font-size: .85rem; word-break: break-all; }
.ops { margin: .25rem 0 0; padding-left: 1.1rem; font-size: .9rem; }
.facts { display: grid; grid-template-columns: max-content 1fr; gap: .25rem 1rem; margin: 0 0 1rem; }
.facts dt { font-weight: 600; }
.facts dd { margin: 0; }
.actions { display: grid; grid-template-columns: repeat(auto-fill, minmax(16rem, 1fr)); gap: 1rem; }
.card { display: grid; gap: .5rem; align-content: space-between; background: #fff; border: 1px solid var(--border); border-radius: 8px; padding: 1rem; }
.notice { border: 2px solid #1b6e3a; background: #eaf6ee; border-radius: 6px; padding: .75rem 1rem; margin-bottom: 1rem; }
.variants { border: 2px solid #8a5a00; background: #fff8e6; border-radius: 6px; padding: .75rem 1rem; margin-bottom: 1rem; }
.variants ul { margin: .25rem 0 0; padding-left: 1.25rem; }
@media (max-width: 40rem) { main { padding: .5rem; } th, td { padding: .3rem; } }
`;
