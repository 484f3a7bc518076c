import "server-only";
import { readFileSync } from "node:fs";
import path from "node:path";
import { catalogEnv, DEFAULT_CATALOG_FILE } from "../env";
import { CatalogError, parseCatalog, type Catalog } from "./catalog-schema";

let loaded: Catalog | undefined;

/**
 * Reads and validates the offer catalog once (CATALOG_FILE, else config/catalog.json). Called at
 * start-up (lib/startup.ts) so that a wrong field stops the boot; every later call answers the
 * same catalog. Without CATALOG_FILE, a missing default file means an empty catalog: every offer
 * then shows its ids and the default account form.
 */
export function loadCatalog(): Catalog {
  if (loaded) return loaded;
  const configured = catalogEnv().CATALOG_FILE;
  const file = path.resolve(/* turbopackIgnore: true */ configured ?? DEFAULT_CATALOG_FILE);
  let text: string;
  try {
    // Read at run time from the working directory, not a build input: nothing for the bundler to trace.
    text = readFileSync(/* turbopackIgnore: true */ file, "utf8");
  } catch (error) {
    const missing = (error as NodeJS.ErrnoException).code === "ENOENT";
    if (missing && !configured) return (loaded = { offers: [] });
    throw new CatalogError(configured ?? DEFAULT_CATALOG_FILE, [
      missing
        ? `CATALOG_FILE: no file at ${file}`
        : `CATALOG_FILE: cannot read ${file}: ${error instanceof Error ? error.message : String(error)}`,
    ]);
  }
  loaded = parseCatalog(text, configured ?? DEFAULT_CATALOG_FILE);
  return loaded;
}
