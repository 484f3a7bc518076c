/**
 * Docs that resolve: every repository path the README and the decision records name (in
 * backticks or in the flow diagrams) exists, so a renamed file cannot leave them pointing nowhere.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

const ROOTS = ["app/", "lib/", "sandbox/", "docs/", "e2e/", "tests/", "scripts/", "bench/", "prisma/"];
const documents = ["README.md", ...readdirSync("docs/decisions").map((name) => path.join("docs/decisions", name))];

/** A path, or a prefix of one (`docs/decisions/0004` names 0004-….md; `metering-` a family of files). */
function resolves(candidate: string): boolean {
  const trimmed = candidate.replace(/\/$/, "");
  if (existsSync(trimmed)) return true;
  const directory = path.dirname(trimmed);
  return existsSync(directory) && readdirSync(directory).some((name) => name.startsWith(path.basename(trimmed)));
}

/** Paths as written: `lib/x.ts`, lib/x.ts in a diagram; without placeholders ({id}, *, …) or URLs. */
function pathsIn(text: string): string[] {
  const found = new Set<string>();
  // Not an npm package (@prisma/...) nor a URL path.
  for (const match of text.matchAll(
    /(?<![\w/.@:-])((?:app|lib|sandbox|docs|e2e|tests|scripts|bench|prisma)\/[\w()[\]./-]+)/g,
  )) {
    const candidate = match[1]!.split("](")[0]!.replace(/[.,:;)]+$/, "");
    if (/[{}*…]|\.\.\./.test(candidate) || !ROOTS.some((root) => candidate.startsWith(root))) continue;
    found.add(candidate);
  }
  return [...found];
}

describe("paths named in the docs", () => {
  it.each(documents)("%s names only files and folders that exist", (document) => {
    const missing = pathsIn(readFileSync(document, "utf8")).filter((candidate) => !resolves(candidate));
    expect(missing).toEqual([]);
  });

  it("finds paths at all (the scan is not silently empty)", () => {
    expect(pathsIn(readFileSync("README.md", "utf8")).length).toBeGreaterThan(30);
  });
});
