/**
 * Section references (the section sign followed by a number, e.g. 6.2) in the repository point
 * into docs/marketplace-contract.md, and every one must name a numbered heading there. The first
 * reference in a file names the document on its line ("marketplace-contract.md" before the sign);
 * later ones may be bare. Sections of RFCs ("RFC 9110" before the sign) are not ours to check.
 */
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const root = fileURLToPath(new URL("..", import.meta.url));
const CONTRACT = "docs/marketplace-contract.md";
const SIGN = "\u00a7"; // written as an escape so this file holds no reference of its own
const TEXT_FILE = /\.(ts|tsx|js|mjs|cjs|md|mdx|json|sql|prisma|sh|ya?ml|css|txt)$/;
const NOT_SOURCE = /^(node_modules|\.next|\.data|lib\/generated)\/|(^|\/)package-lock\.json$/;
// The team's notes outside the repository, under their old names and paths.
const OUTSIDE_POINTERS = /marketplace-api\.md|(^|[^\w-])shared\/(docs|marketplace-openapi)\b|\.\.\/shared\//;

const SECTION = "(\\d+(?:\\.\\d+)*)";
// A section, and the far end of a range written with a dash (6.6–6.8), with or without its own sign.
const REFERENCE = new RegExp(`${SIGN}${SECTION}(?:[–-]${SIGN}?${SECTION})?`, "g");
const HEADING = /^#{1,6}\s+(\d+(?:\.\d+)*)\.?\s/;

interface Reference {
  line: number;
  sections: string[];
  /** The whole line names the contract document. */
  named: boolean;
}

/** Numbers of the numbered headings of a markdown document ("## 6. …" → "6", "### 6.2 …" → "6.2"). */
function headingNumbers(markdown: string): string[] {
  return markdown.split("\n").flatMap((line) => line.match(HEADING)?.[1] ?? []);
}

/** Contract references in a text, line by line; sections of RFCs are left out. */
function findReferences(text: string): Reference[] {
  return text.split("\n").flatMap((line, index) =>
    [...line.matchAll(REFERENCE)]
      .filter((match) => !/RFC\s*\d+\s*$/.test(line.slice(0, match.index)))
      .map((match) => ({
        line: index + 1,
        sections: [match[1], match[2]].filter((section): section is string => section !== undefined),
        named: line.includes("marketplace-contract.md"),
      })),
  );
}

/** Tracked files plus new ones not ignored, so a reference fails before it is committed. */
function sourceFiles(): string[] {
  const listed = execFileSync("git", ["ls-files", "--cached", "--others", "--exclude-standard"], {
    cwd: root,
    encoding: "utf8",
    maxBuffer: 64 * 1024 * 1024,
  });
  return [...new Set(listed.split("\n"))].filter(
    (file) => TEXT_FILE.test(file) && !NOT_SOURCE.test(file) && existsSync(path.join(root, file)),
  );
}

const read = (file: string) => readFileSync(path.join(root, file), "utf8");

describe("contract section references", () => {
  const sections = new Set(headingNumbers(read(CONTRACT)));
  const files = sourceFiles().map((file) => ({ file, text: read(file) }));
  const referencing = files
    .map(({ file, text }) => ({ file, references: findReferences(text) }))
    .filter(({ references }) => references.length > 0);

  it("reads sections, ranges and RFCs the way the code writes them", () => {
    const text = [
      `a (marketplace-contract.md ${SIGN}6.2), ${SIGN}0/${SIGN}6.3.`,
      `b ${SIGN}6.6–6.8 and ${SIGN}4.5-${SIGN}4.6; RFC 9110 ${SIGN}10.2.3`,
    ].join("\n");
    expect(findReferences(text)).toEqual([
      { line: 1, sections: ["6.2"], named: true },
      { line: 1, sections: ["0"], named: true },
      { line: 1, sections: ["6.3"], named: true },
      { line: 2, sections: ["6.6", "6.8"], named: false },
      { line: 2, sections: ["4.5", "4.6"], named: false },
    ]);
    expect(headingNumbers("## 6. Subscription API\n### 6.2 Activate\n#### 15.13 Bodies\n## Sources")).toEqual([
      "6",
      "6.2",
      "15.13",
    ]);
  });

  it("keeps the contract's numbering: sections 0 to 15, each number once", () => {
    const numbers = headingNumbers(read(CONTRACT));
    expect(numbers.filter((number, index) => numbers.indexOf(number) !== index)).toEqual([]);
    for (let top = 0; top <= 15; top++) expect(sections, `section ${top}`).toContain(String(top));
  });

  it("finds references in the tree (the scan is not vacuous)", () => {
    expect(referencing.length).toBeGreaterThan(50);
  });

  it("resolves every reference to a numbered heading of docs/marketplace-contract.md", () => {
    const dangling = referencing.flatMap(({ file, references }) =>
      references.flatMap(({ line, sections: cited }) =>
        cited.filter((section) => !sections.has(section)).map((section) => `${file}:${line}: ${SIGN}${section}`),
      ),
    );
    expect(dangling, `references to no heading of ${CONTRACT}:\n${dangling.join("\n")}`).toEqual([]);
  });

  it("names the document at the first reference of every file", () => {
    const unnamed = referencing.flatMap(({ file, references: [first] }) =>
      file !== CONTRACT && first && !first.named ? [`${file}:${first.line}`] : [],
    );
    expect(unnamed, `first reference without "marketplace-contract.md" on its line:\n${unnamed.join("\n")}`).toEqual(
      [],
    );
  });

  it("points to no document outside the repository", () => {
    const outside = files.flatMap(({ file, text }) =>
      text
        .split("\n")
        .flatMap((line, index) => (OUTSIDE_POINTERS.test(line) ? [`${file}:${index + 1}: ${line.trim()}`] : [])),
    );
    expect(outside, outside.join("\n")).toEqual([]);
  });
});
