import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import {
  openSignInTenant,
  parseTenantId,
  sealSignInTenant,
  SIGN_IN_TENANT_TTL_SECONDS,
  tenantIssuer,
} from "./sign-in-tenant";

const SECRET = "unit-test-secret-unit-test-secret-unit";
const MAYAS_DIRECTORY = "55555555-5555-4555-8555-555555555555";
const now = new Date("2026-11-25T10:00:00Z");
const later = (seconds: number) => new Date(now.getTime() + seconds * 1000);

describe("the sign-in tenant cookie", () => {
  it("names the tenant it was sealed for, in lower case, until it expires", () => {
    const sealed = sealSignInTenant(MAYAS_DIRECTORY.toUpperCase(), SECRET, now);
    expect(openSignInTenant(sealed, SECRET, now)).toBe(MAYAS_DIRECTORY);
    expect(openSignInTenant(sealed, SECRET, later(SIGN_IN_TENANT_TTL_SECONDS - 1))).toBe(MAYAS_DIRECTORY);
    expect(openSignInTenant(sealed, SECRET, later(SIGN_IN_TENANT_TTL_SECONDS))).toBeNull();
  });

  it("refuses a value that was changed, signed with another secret, or is missing", () => {
    const sealed = sealSignInTenant(MAYAS_DIRECTORY, SECRET, now);
    const [, expires, signature] = sealed.split(".");
    expect(openSignInTenant(`22222222-2222-4222-8222-222222222222.${expires}.${signature}`, SECRET, now)).toBeNull();
    expect(openSignInTenant(`${MAYAS_DIRECTORY}.${Number(expires) + 3600}.${signature}`, SECRET, now)).toBeNull();
    expect(openSignInTenant(`${sealed}x`, SECRET, now)).toBeNull();
    expect(openSignInTenant(sealed, "another-secret-another-secret-another", now)).toBeNull();
    expect(openSignInTenant(`${sealed}.extra`, SECRET, now)).toBeNull();
    expect(openSignInTenant(undefined, SECRET, now)).toBeNull();
    expect(openSignInTenant("", SECRET, now)).toBeNull();
    expect(openSignInTenant(MAYAS_DIRECTORY, SECRET, now)).toBeNull();
  });

  it("refuses a correctly signed value naming anything but a GUID, or living longer than the TTL", () => {
    const forge = (tid: string, expires: number) => {
      const payload = `${tid}.${expires}`;
      return `${payload}.${createHmac("sha256", SECRET).update(`portal sign-in tenant\n${payload}`).digest("base64url")}`;
    };
    const inTenMinutes = Math.floor(now.getTime() / 1000) + 600;
    expect(openSignInTenant(forge(MAYAS_DIRECTORY, inTenMinutes), SECRET, now)).toBe(MAYAS_DIRECTORY);
    expect(openSignInTenant(forge("evil:example", inTenMinutes), SECRET, now)).toBeNull();
    expect(openSignInTenant(forge("common", inTenMinutes), SECRET, now)).toBeNull();
    expect(openSignInTenant(forge(MAYAS_DIRECTORY, inTenMinutes + SIGN_IN_TENANT_TTL_SECONDS), SECRET, now)).toBeNull();
  });

  it("cannot be sealed for anything but a GUID", () => {
    for (const tenant of [
      "common",
      "evil.example/x",
      "https://evil.example",
      "",
      "55555555-5555-4555-8555-55555555555",
    ]) {
      expect(() => sealSignInTenant(tenant, SECRET, now)).toThrow(/GUID/);
    }
    expect(parseTenantId(" 55555555-5555-4555-8555-555555555555")).toBeNull();
    expect(parseTenantId(42)).toBeNull();
  });
});

describe("tenantIssuer", () => {
  it("puts the tenant id in place of common on the same Entra host", () => {
    expect(tenantIssuer("https://login.microsoftonline.com/common/v2.0", MAYAS_DIRECTORY)).toBe(
      `https://login.microsoftonline.com/${MAYAS_DIRECTORY}/v2.0`,
    );
    expect(tenantIssuer("https://localhost:8443/organizations/v2.0/", MAYAS_DIRECTORY.toUpperCase())).toBe(
      `https://localhost:8443/${MAYAS_DIRECTORY}/v2.0`,
    );
  });

  it("gives no issuer for a tenant that is not a GUID, or an issuer of another shape", () => {
    expect(tenantIssuer("https://login.microsoftonline.com/common/v2.0", "evil.example/x")).toBeNull();
    expect(tenantIssuer("https://login.microsoftonline.com/common/v2.0", "../../evil.example")).toBeNull();
    expect(tenantIssuer("http://login.microsoftonline.com/common/v2.0", MAYAS_DIRECTORY)).toBeNull();
    expect(tenantIssuer("https://login.microsoftonline.com/common", MAYAS_DIRECTORY)).toBeNull();
  });
});
