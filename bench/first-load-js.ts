/**
 * First-load JavaScript per page of the production build (`.next/`), gzip: what a browser
 * downloads before a page becomes interactive. For each page it is the union of the framework's
 * root files (build-manifest.json `rootMainFiles`) and every chunk the page's client reference
 * manifest lists for its segments (layouts, error and not-found boundaries, the page). Legacy
 * polyfills (`nomodule`, never loaded by current browsers) are left out, as Next.js always did.
 *
 * Each file is counted once per page, gzipped at level 9. Run alone after `npx next build`:
 *   node --import tsx bench/first-load-js.ts [page …]
 * or as part of `npm run bench` (section `bundle`).
 */
import { readFileSync, readdirSync, existsSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { runInNewContext } from "node:vm";
import { gzipSync } from "node:zlib";

export interface PageFirstLoad {
  /** The page's route, e.g. /landing or /account/subscriptions/[id]. */
  route: string;
  /** Bytes after gzip, summed over the page's files. */
  gzipBytes: number;
  files: string[];
}

/** Goal of issue #15: the landing page's first-load JavaScript. */
export const LANDING_FIRST_LOAD_GOAL_BYTES = 140 * 1024;

const routeOf = (segmentPath: string) =>
  segmentPath
    .split("/")
    .filter((part) => part && !(part.startsWith("(") && part.endsWith(")")))
    .join("/")
    .replace(/^/, "/")
    .replace(/\/page$/, "") || "/";

function manifestFiles(directory: string): string[] {
  const found: string[] = [];
  for (const entry of readdirSync(directory, { withFileTypes: true })) {
    const full = path.join(directory, entry.name);
    if (entry.isDirectory()) found.push(...manifestFiles(full));
    else if (entry.name === "page_client-reference-manifest.js") found.push(full);
  }
  return found;
}

/** Every page of the build with its first-load JavaScript, largest first. */
export function measureFirstLoadJs(distDir = ".next"): PageFirstLoad[] {
  const buildManifest = JSON.parse(readFileSync(path.join(distDir, "build-manifest.json"), "utf8")) as {
    rootMainFiles: string[];
  };
  const gzipped = new Map<string, number>();
  const sizeOf = (file: string) => {
    let size = gzipped.get(file);
    if (size === undefined) {
      size = gzipSync(readFileSync(path.join(distDir, file)), { level: 9 }).length;
      gzipped.set(file, size);
    }
    return size;
  };
  const appDir = path.join(distDir, "server", "app");
  const pages: PageFirstLoad[] = [];
  for (const file of manifestFiles(appDir)) {
    // The manifest is a script that assigns globalThis.__RSC_MANIFEST[<segment path>].
    const holder: { __RSC_MANIFEST?: Record<string, { entryJSFiles?: Record<string, string[]> }> } = {};
    runInNewContext(readFileSync(file, "utf8"), { globalThis: holder, self: holder });
    for (const [segmentPath, manifest] of Object.entries(holder.__RSC_MANIFEST ?? {})) {
      const files = new Set(buildManifest.rootMainFiles);
      for (const chunks of Object.values(manifest.entryJSFiles ?? {})) for (const chunk of chunks) files.add(chunk);
      const list = [...files].filter((chunk) => chunk.endsWith(".js"));
      pages.push({
        route: routeOf(segmentPath),
        gzipBytes: list.reduce((sum, chunk) => sum + sizeOf(chunk), 0),
        files: list,
      });
    }
  }
  return pages.sort((a, b) => b.gzipBytes - a.gzipBytes || a.route.localeCompare(b.route));
}

const kB = (bytes: number) => `${(bytes / 1024).toFixed(1)} kB`;

export function printFirstLoadJs(pages: PageFirstLoad[]): void {
  const width = Math.max(...pages.map((page) => page.route.length), "page".length);
  console.log(`| ${"page".padEnd(width)} | first-load JS (gzip) |`);
  console.log(`| ${"-".repeat(width)} | -------------------- |`);
  for (const page of pages) console.log(`| ${page.route.padEnd(width)} | ${kB(page.gzipBytes).padStart(20)} |`);
  const landing = pages.find((page) => page.route === "/landing");
  if (landing)
    console.log(
      `landing first-load JS: ${kB(landing.gzipBytes)} (goal ≤ ${kB(LANDING_FIRST_LOAD_GOAL_BYTES)}; ratio ${(
        landing.gzipBytes / LANDING_FIRST_LOAD_GOAL_BYTES
      ).toFixed(2)} of the goal)`,
    );
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  if (!existsSync(".next/build-manifest.json")) {
    console.error("No production build in .next/: run `npx next build` first.");
    process.exit(1);
  }
  const wanted = process.argv.slice(2);
  const pages = measureFirstLoadJs();
  printFirstLoadJs(wanted.length > 0 ? pages.filter((page) => wanted.includes(page.route)) : pages);
}
