/**
 * Renders a mail's React element tree to static HTML and to plain text (docs/decisions/0020).
 *
 * Not react-dom/server: Next.js compiles every server bundle of the portal — pages, actions and
 * instrumentation, where the send job runs — with the `react-server` condition, under which
 * react-dom/server refuses to load. A mail needs far less than React DOM: host elements with
 * attributes and inline styles, function components without hooks, fragments and text. This walks
 * such a tree; everything else (hooks, context, event handlers, raw HTML) is refused loudly rather
 * than rendered wrong.
 *
 * The same tree gives the text part: blocks become paragraphs, a link reads `label (url)` (or,
 * marked `data-mail-block`, its label and URL on lines of their own), images drop out, and a node
 * marked `data-mail-only="html"` or `"text"` appears in one part only.
 */
import { Fragment, isValidElement, type ReactElement, type ReactNode } from "react";

const VOID = new Set(["area", "base", "br", "col", "hr", "img", "input", "link", "meta", "source", "wbr"]);
const ATTRIBUTE_NAME = /^[a-zA-Z][a-zA-Z0-9:-]*$/;
const RENAMED: Record<string, string> = {
  className: "class",
  htmlFor: "for",
  cellPadding: "cellpadding",
  cellSpacing: "cellspacing",
};
const URL_ATTRIBUTES = new Set(["href", "src"]);

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (character) => `&#${character.charCodeAt(0)};`);
}

type Props = Record<string, unknown> & { children?: ReactNode };

function elementOf(node: unknown): ReactElement<Props> | null {
  return isValidElement(node) ? (node as ReactElement<Props>) : null;
}

/** Function components are called (no hooks: there is no dispatcher), host and fragment types are kept. */
function expand(element: ReactElement<Props>): ReactNode {
  if (typeof element.type === "function") return (element.type as (props: Props) => ReactNode)(element.props);
  throw new Error(`Mail markup: unsupported element type ${String(element.type)}`);
}

function children(node: ReactNode): ReactNode[] {
  if (node === null || node === undefined || typeof node === "boolean") return [];
  if (Array.isArray(node)) return node as ReactNode[];
  if (typeof node === "object" && Symbol.iterator in node && !isValidElement(node))
    return [...(node as Iterable<ReactNode>)];
  return [node];
}

function only(props: Props): "html" | "text" | undefined {
  const value = props["data-mail-only"];
  return value === "html" || value === "text" ? value : undefined;
}

function safeUrl(name: string, value: string): string {
  if (/^(https?:|mailto:)/i.test(value.trim())) return value;
  throw new Error(`Mail markup: ${name} must be an http(s) or mailto URL, not ${JSON.stringify(value.slice(0, 40))}`);
}

function styleText(style: unknown): string {
  if (!style || typeof style !== "object") throw new Error("Mail markup: style must be an object");
  return Object.entries(style as Record<string, unknown>)
    .filter(([, value]) => value !== undefined && value !== null && value !== "")
    .map(([key, value]) => {
      const property = key.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`);
      if (!/^[a-z-]+$/.test(property)) throw new Error(`Mail markup: bad style property ${key}`);
      const text =
        typeof value === "number" && value !== 0 && !/opacity|weight|z-index|line-height/.test(property)
          ? `${value}px`
          : String(value);
      return `${property}:${text.replace(/[;<>"]/g, "")}`;
    })
    .join(";");
}

function attributes(props: Props): string {
  let out = "";
  for (const [key, value] of Object.entries(props)) {
    if (key === "children" || key === "key" || key.startsWith("data-mail-")) continue;
    if (key === "dangerouslySetInnerHTML" || key === "ref" || typeof value === "function")
      throw new Error(`Mail markup: ${key} is not supported`);
    if (value === undefined || value === null || value === false) continue;
    const name = RENAMED[key] ?? key;
    if (!ATTRIBUTE_NAME.test(name)) throw new Error(`Mail markup: bad attribute name ${key}`);
    if (value === true) {
      out += ` ${name}`;
      continue;
    }
    let text: string;
    if (name === "style") text = styleText(value);
    else if (typeof value === "string" || typeof value === "number") text = String(value);
    else throw new Error(`Mail markup: ${key} must be text or a number`);
    out += ` ${name}="${escapeHtml(URL_ATTRIBUTES.has(name) ? safeUrl(name, text) : text)}"`;
  }
  return out;
}

function html(node: ReactNode): string {
  if (node === null || node === undefined || typeof node === "boolean") return "";
  if (typeof node === "string") return escapeHtml(node);
  if (typeof node === "number" || typeof node === "bigint") return String(node);
  const element = elementOf(node);
  if (!element) return children(node).map(html).join("");
  if (element.type === Fragment) return children(element.props.children).map(html).join("");
  if (typeof element.type !== "string") return html(expand(element));
  if (only(element.props) === "text") return "";
  const tag = element.type.toLowerCase();
  if (!/^[a-z][a-z0-9]*$/.test(tag)) throw new Error(`Mail markup: bad tag ${element.type}`);
  const open = `<${tag}${attributes(element.props)}>`;
  if (VOID.has(tag)) return open;
  return `${open}${children(element.props.children).map(html).join("")}</${tag}>`;
}

/** The tree as an HTML document (a `<!doctype html>` before it when it is an `<html>` element). */
export function renderHtml(node: ReactNode): string {
  const out = html(node);
  return out.startsWith("<html") ? `<!doctype html>${out}` : out;
}

const PARAGRAPH = new Set([
  "p",
  "h1",
  "h2",
  "h3",
  "h4",
  "h5",
  "h6",
  "table",
  "ul",
  "ol",
  "blockquote",
  "section",
  "header",
  "footer",
]);
const LINE = new Set(["div", "tr"]);
// Boundaries of blocks, resolved once the text is complete: a run of them is one blank line when a
// paragraph takes part in it, else one line break (so two table rows are not a blank line apart).
const PARAGRAPH_BREAK = "\uE000P";
const LINE_BREAK = "\uE000L";
const SKIPPED = new Set(["head", "style", "script", "img", "title"]);

function textOf(node: ReactNode): string {
  if (node === null || node === undefined || typeof node === "boolean") return "";
  // A private-use character in data would pass for a block boundary below.
  if (typeof node === "string") return node.replace(/\uE000/g, "").replace(/\s+/g, " ");
  if (typeof node === "number" || typeof node === "bigint") return String(node);
  const element = elementOf(node);
  if (!element) return children(node).map(textOf).join("");
  if (element.type === Fragment) return children(element.props.children).map(textOf).join("");
  if (typeof element.type !== "string") return textOf(expand(element));
  const { props } = element;
  const tag = element.type.toLowerCase();
  if (only(props) === "html" || SKIPPED.has(tag)) return "";
  if (tag === "br") return "\n";
  if (tag === "hr") return `${PARAGRAPH_BREAK}----${PARAGRAPH_BREAK}`;
  const inner = children(props.children).map(textOf).join("");
  if (tag === "a" && typeof props.href === "string") {
    const label = inner.trim();
    const href = safeUrl("href", props.href);
    if (props["data-mail-block"]) return `${PARAGRAPH_BREAK}${label}:\n${href}${PARAGRAPH_BREAK}`;
    return !label || label === href ? href : `${label} (${href})`;
  }
  if (tag === "th") return `${inner.trim()}: `;
  if (tag === "td") return `${inner.trim()} `;
  if (tag === "li") return `${LINE_BREAK}- ${inner.trim()}${LINE_BREAK}`;
  if (PARAGRAPH.has(tag)) return `${PARAGRAPH_BREAK}${inner}${PARAGRAPH_BREAK}`;
  if (LINE.has(tag)) return `${LINE_BREAK}${inner}${LINE_BREAK}`;
  return inner;
}

/** The tree as plain text: paragraphs separated by one blank line, no trailing spaces. */
export function renderText(node: ReactNode): string {
  return textOf(node)
    .replace(/(?:\uE000[PL])+/g, (run) => (run.includes("P") ? "\n\n" : "\n"))
    .split("\n")
    .map((line) => line.replace(/[ \t]+/g, " ").trim())
    .join("\n")
    .replace(/\n{3,}/g, "\n\n")
    .trim();
}
