/**
 * The catalogs are complete and consistent: every language has exactly English's keys, each
 * message parses as ICU, uses the same placeholders and tags as its English original, and the
 * Japanese text is Japanese (a copied English string is an untranslated string).
 */
import { parse, TYPE, type MessageFormatElement } from "@formatjs/icu-messageformat-parser";
import { describe, expect, it } from "vitest";
import { catalogs } from "@/messages";
import { locales } from "./locales";
import { leafKeys } from "./messages";

type Tree = { [key: string]: string | Tree };
const text = (tree: Tree, path: string) =>
  path
    .split(".")
    .reduce<string | Tree | undefined>((node, part) => (typeof node === "object" ? node[part] : undefined), tree);

/** Placeholder and tag names a message uses, e.g. ["arg:count", "tag:b"], sorted and de-duplicated. */
export function placeholdersOf(message: string): string[] {
  const found = new Set<string>();
  const walk = (elements: MessageFormatElement[]) => {
    for (const element of elements) {
      if (element.type === TYPE.literal || element.type === TYPE.pound) continue;
      if (element.type === TYPE.tag) {
        found.add(`tag:${element.value}`);
        walk(element.children);
        continue;
      }
      found.add(`arg:${element.value}`);
      if (element.type === TYPE.plural || element.type === TYPE.select)
        for (const option of Object.values(element.options)) walk(option.value);
    }
  };
  walk(parse(message));
  return [...found].sort();
}

/** Keys whose Japanese text may legitimately hold no Japanese (a dash, a product or language name). */
const notTranslatedOnPurpose = new Set([
  "common.none",
  "subscription.price.plain",
  // The glossary keeps "Webhook" as is (docs/glossary-ja.md).
  "adminClient.nav.webhooks",
]);
const japanese = /[\u3000-\u30ff\u3400-\u9fff\uff01-\uff60]/;

const english = catalogs.en as unknown as Tree;
const englishKeys = leafKeys(english).sort();

describe("message catalogs", () => {
  it("has messages", () => {
    expect(englishKeys.length).toBeGreaterThan(0);
  });

  for (const locale of locales.filter((l) => l !== "en")) {
    const catalog = catalogs[locale] as unknown as Tree;

    it(`${locale} has exactly English's keys`, () => {
      const keys = leafKeys(catalog).sort();
      expect({
        missing: englishKeys.filter((k) => !keys.includes(k)),
        extra: keys.filter((k) => !englishKeys.includes(k)),
      }).toEqual({ missing: [], extra: [] });
    });

    it(`${locale} uses the same placeholders and tags as English`, () => {
      const differing = englishKeys.flatMap((key) => {
        const theirs = text(catalog, key);
        if (typeof theirs !== "string") return [];
        const [a, b] = [placeholdersOf(text(english, key) as string), placeholdersOf(theirs)];
        return JSON.stringify(a) === JSON.stringify(b) ? [] : [{ key, en: a, [locale]: b }];
      });
      expect(differing).toEqual([]);
    });
  }

  it("ja is written in Japanese", () => {
    const catalog = catalogs.ja as unknown as Tree;
    const untranslated = englishKeys.filter((key) => {
      const value = text(catalog, key);
      return typeof value === "string" && !notTranslatedOnPurpose.has(key) && !japanese.test(value);
    });
    expect(untranslated).toEqual([]);
  });

  it("finds placeholders inside plural branches and tags, not branch text", () => {
    expect(placeholdersOf("{count, plural, one {# seat <b>x</b>} other {{n} seats}}")).toEqual([
      "arg:count",
      "arg:n",
      "tag:b",
    ]);
    expect(placeholdersOf("plain")).toEqual([]);
  });
});
