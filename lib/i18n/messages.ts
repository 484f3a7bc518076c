/**
 * The messages a request renders with. Another language's catalog is laid over English, so a key
 * it lacks shows the English text rather than a raw key; each such key is logged once per process.
 * The catalog test (lib/i18n/catalogs.test.ts) keeps the shipped catalogs complete; this is the
 * safety net for a catalog edited in place on a server.
 */
import { catalogs, type Messages } from "@/messages";
import { logger } from "@/lib/logger";
import { defaultLocale, type Locale } from "./locales";

/**
 * A message is a string, or, in the Next.js build, the form next-intl precompiled it to
 * (next.config.ts `precompile`: an array of parts); a namespace or group is a plain object.
 */
type Message = string | readonly unknown[];
type Tree = { [key: string]: Message | Tree };

const isTree = (node: unknown): node is Tree => typeof node === "object" && node !== null && !Array.isArray(node);

/** Every leaf key of a catalog, as dotted paths ("common.language.label"). */
export function leafKeys(tree: Tree, prefix = ""): string[] {
  return Object.entries(tree).flatMap(([key, value]) =>
    isTree(value) ? leafKeys(value, `${prefix}${key}.`) : [`${prefix}${key}`],
  );
}

/** `overlay` laid over `base`: base's keys, with overlay's text where it has one of the same kind. */
export function layOver(base: Tree, overlay: Tree | undefined): Tree {
  const merged: Tree = {};
  for (const [key, value] of Object.entries(base)) {
    const other = overlay?.[key];
    if (!isTree(value)) merged[key] = other !== undefined && !isTree(other) ? other : value;
    else merged[key] = layOver(value, isTree(other) ? other : undefined);
  }
  return merged;
}

const resolved = new Map<Locale, Messages>();

export function messagesFor(locale: Locale): Messages {
  const cached = resolved.get(locale);
  if (cached) return cached;
  const english = catalogs[defaultLocale] as unknown as Tree;
  const own = catalogs[locale] as unknown as Tree;
  const present = new Set(leafKeys(own));
  const missing = leafKeys(english).filter((key) => !present.has(key));
  if (missing.length > 0)
    logger.warn("i18n.catalog_incomplete", { locale, missingKeys: missing.slice(0, 20), count: missing.length });
  const messages = (locale === defaultLocale ? own : layOver(english, own)) as unknown as Messages;
  resolved.set(locale, messages);
  return messages;
}

/**
 * English text for a key, for the last-resort fallback when even the laid-over catalog has none.
 * Only a text without placeholders (a precompiled message with any is not a string): a fallback is
 * shown as it is, never formatted.
 */
export function englishText(path: string): string | undefined {
  let node: Message | Tree | undefined = catalogs[defaultLocale];
  for (const part of path.split(".")) node = isTree(node) ? node[part] : undefined;
  return typeof node === "string" ? node : undefined;
}
