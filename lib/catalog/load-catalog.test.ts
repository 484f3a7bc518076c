/** The catalog file as the start-up reads it: CATALOG_FILE, the default path, and errors that stop the boot. */
import { writeFileSync } from "node:fs";
import path from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { makeTempDir } from "@/tests/support/temp-dirs";

async function freshLoader() {
  vi.resetModules();
  return import("./load-catalog");
}

afterEach(() => {
  vi.unstubAllEnvs();
});

describe("loading the offer catalog", () => {
  it("reads the file CATALOG_FILE names", async () => {
    const file = path.join(makeTempDir("catalog-"), "catalog.json");
    writeFileSync(file, JSON.stringify({ offers: [{ offerId: "fabrikam-crm", displayName: "Fabrikam CRM" }] }));
    vi.stubEnv("CATALOG_FILE", file);
    const { loadCatalog } = await freshLoader();
    expect(loadCatalog().offers.map((offer) => offer.displayName)).toEqual(["Fabrikam CRM"]);
  });

  it("stops with a message naming the field when the file has an error", async () => {
    const file = path.join(makeTempDir("catalog-"), "catalog.json");
    writeFileSync(
      file,
      JSON.stringify({ offers: [{ offerId: "fabrikam-crm", displayName: "CRM", privacyUrl: "privacy please" }] }),
    );
    vi.stubEnv("CATALOG_FILE", file);
    const { loadCatalog } = await freshLoader();
    expect(() => loadCatalog()).toThrow(/Invalid offer catalog .*\n {2}- offers\[fabrikam-crm\]\.privacyUrl: /);
  });

  it("stops when CATALOG_FILE names a file that does not exist", async () => {
    vi.stubEnv("CATALOG_FILE", path.join(makeTempDir("catalog-"), "missing.json"));
    const { loadCatalog } = await freshLoader();
    expect(() => loadCatalog()).toThrow(/CATALOG_FILE: no file at .*missing\.json/);
  });

  it("reads config/catalog.json when CATALOG_FILE is not set", async () => {
    vi.stubEnv("CATALOG_FILE", "");
    const { loadCatalog } = await freshLoader();
    expect(loadCatalog().offers.map((offer) => offer.offerId)).toContain("contoso-backup");
  });
});
