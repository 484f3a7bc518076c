import { describe, expect, it } from "vitest";
import { isPartyToSubscription } from "./ownership";

const fabrikam = "22222222-2222-4222-8222-222222222222";
const northwind = "33333333-3333-4333-8333-333333333333";
const csp = "44444444-4444-4444-8444-444444444444";
const alice = "b2000000-0000-4000-8000-000000000001";
const bob = "b2000000-0000-4000-8000-000000000002";
const carl = "d4000000-0000-4000-8000-000000000001";

const direct = { beneficiaryTenantId: fabrikam, beneficiaryObjectId: alice, purchaserTenantId: fabrikam, purchaserObjectId: alice };
const viaCsp = { beneficiaryTenantId: fabrikam, beneficiaryObjectId: alice, purchaserTenantId: csp, purchaserObjectId: carl };

describe("isPartyToSubscription", () => {
  it("lets the buyer in by tid + oid (case-insensitive GUIDs)", () => {
    expect(isPartyToSubscription({ tid: fabrikam, oid: alice }, direct)).toBe(true);
    expect(isPartyToSubscription({ tid: fabrikam.toUpperCase(), oid: alice.toUpperCase() }, direct)).toBe(true);
  });

  it("lets both the CSP purchaser and the beneficiary in", () => {
    expect(isPartyToSubscription({ tid: csp, oid: carl }, viaCsp)).toBe(true);
    expect(isPartyToSubscription({ tid: fabrikam, oid: alice }, viaCsp)).toBe(true);
  });

  it("refuses a colleague of the same tenant who is neither party", () => {
    expect(isPartyToSubscription({ tid: fabrikam, oid: bob }, direct)).toBe(false);
  });

  it("refuses the same object id presented from another tenant", () => {
    expect(isPartyToSubscription({ tid: northwind, oid: alice }, direct)).toBe(false);
  });

  it("recognises the recorded owner", () => {
    expect(isPartyToSubscription({ tid: fabrikam, oid: bob }, { ...direct, ownerTenantId: fabrikam, ownerUserOid: bob })).toBe(true);
  });

  it("never matches missing identities", () => {
    const empty = { beneficiaryTenantId: null, beneficiaryObjectId: null, purchaserTenantId: null, purchaserObjectId: null };
    expect(isPartyToSubscription({ tid: "", oid: "" }, empty)).toBe(false);
  });
});
