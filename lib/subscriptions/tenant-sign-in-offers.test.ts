import { describe, expect, it } from "vitest";
import {
  emailDomain,
  PERSONAL_ACCOUNTS_TENANT_ID,
  tenantSignInLabel,
  tenantSignInOffers,
} from "./tenant-sign-in-offers";

const MAYAS_DIRECTORY = "55555555-5555-4555-8555-555555555555";
const FABRIKAM = "22222222-2222-4222-8222-222222222222";
const NORTHWIND = "33333333-3333-4333-8333-333333333333";
const ADATUM = "44444444-4444-4444-8444-444444444444";
const mayaPersonal = {
  tid: PERSONAL_ACCOUNTS_TENANT_ID,
  oid: "00000000-0000-0000-5e1f-7a3b9c2d4e61",
  email: "maya@outlook.example",
};
const mayaInHerDirectory = {
  tenantId: MAYAS_DIRECTORY,
  objectId: "e5000000-0000-4000-8000-000000000001",
  emailId: "maya@outlook.example",
};
const alice = {
  tenantId: FABRIKAM,
  objectId: "b2000000-0000-4000-8000-000000000001",
  emailId: "alice@fabrikam.example",
};
const carl = { tenantId: ADATUM, objectId: "d4000000-0000-4000-8000-000000000001", emailId: "carl@adatum-csp.example" };

describe("tenantSignInOffers", () => {
  it("offers a personal account the tenant its purchase names, by domain only", () => {
    const offers = tenantSignInOffers(mayaPersonal, { beneficiary: mayaInHerDirectory, purchaser: mayaInHerDirectory });
    expect(offers).toEqual([{ tenantId: MAYAS_DIRECTORY, domain: "outlook.example" }]);
    expect(JSON.stringify(offers)).not.toContain("maya@");
  });

  it("offers nothing when the purchase names only the tenant the user signed in to", () => {
    const bob = { tid: FABRIKAM, oid: "b2000000-0000-4000-8000-000000000002" };
    expect(tenantSignInOffers(bob, { beneficiary: alice, purchaser: alice })).toEqual([]);
    expect(tenantSignInOffers({ tid: FABRIKAM.toUpperCase() }, { beneficiary: alice, purchaser: alice })).toEqual([]);
  });

  it("offers each other tenant once, the beneficiary's first (a CSP purchase names two)", () => {
    const nina = { tid: NORTHWIND, oid: "c3000000-0000-4000-8000-000000000001" };
    expect(tenantSignInOffers(nina, { beneficiary: alice, purchaser: carl })).toEqual([
      { tenantId: FABRIKAM, domain: "fabrikam.example" },
      { tenantId: ADATUM, domain: "adatum-csp.example" },
    ]);
    // Signed in to the beneficiary's tenant: only the partner's is another tenant.
    expect(tenantSignInOffers({ tid: FABRIKAM }, { beneficiary: alice, purchaser: carl })).toEqual([
      { tenantId: ADATUM, domain: "adatum-csp.example" },
    ]);
  });

  it("skips parties without a GUID tenant id or an object id, and names a tenant without a usable email by id only", () => {
    const nina = { tid: NORTHWIND };
    expect(
      tenantSignInOffers(nina, {
        beneficiary: { ...alice, tenantId: "https://evil.example/" },
        purchaser: { ...carl, objectId: null },
      }),
    ).toEqual([]);
    expect(
      tenantSignInOffers(nina, {
        beneficiary: { ...alice, tenantId: FABRIKAM.toUpperCase(), emailId: null },
        purchaser: null,
      }),
    ).toEqual([{ tenantId: FABRIKAM, domain: null }]);
    expect(tenantSignInOffers(nina, { beneficiary: { ...alice, emailId: "<script>@x" } })).toEqual([
      { tenantId: FABRIKAM, domain: null },
    ]);
  });
});

describe("emailDomain", () => {
  it("is the lower-case domain of a plausible address, else null", () => {
    expect(emailDomain(" Alice@Fabrikam.Example ")).toBe("fabrikam.example");
    for (const value of [
      null,
      undefined,
      "",
      "alice",
      "a@b",
      "a@@b.example",
      "a@b.example/x",
      "a@-b.example",
      `a@${"x".repeat(250)}.example`,
    ]) {
      expect(emailDomain(value)).toBeNull();
    }
  });
});

describe("tenantSignInLabel", () => {
  it("names another organisation by its domain", () => {
    expect(
      tenantSignInLabel(
        { tenantId: FABRIKAM, domain: "fabrikam.example" },
        { tid: NORTHWIND, email: "nina@northwind.example" },
      ),
    ).toEqual({ domain: "fabrikam.example" });
    expect(tenantSignInLabel({ tenantId: FABRIKAM, domain: "fabrikam.example" }, mayaPersonal)).toEqual({
      domain: "fabrikam.example",
    });
  });

  it("does not name the user's own email domain as the organisation", () => {
    expect(tenantSignInLabel({ tenantId: MAYAS_DIRECTORY, domain: "outlook.example" }, mayaPersonal)).toBe(
      "yourAzureDirectory",
    );
    expect(tenantSignInLabel({ tenantId: MAYAS_DIRECTORY, domain: null }, mayaPersonal)).toBe("yourAzureDirectory");
    expect(
      tenantSignInLabel(
        { tenantId: NORTHWIND, domain: "fabrikam.example" },
        { tid: FABRIKAM, email: "alice@fabrikam.example" },
      ),
    ).toBe("purchaseDirectory");
    expect(tenantSignInLabel({ tenantId: NORTHWIND, domain: null }, { tid: FABRIKAM })).toBe("purchaseDirectory");
  });
});
