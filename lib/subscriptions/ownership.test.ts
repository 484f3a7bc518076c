import { describe, expect, it } from "vitest";
import { canManagePeople, isPartyToSubscription, mayAcceptInvite, subscriptionAccess } from "./ownership";

const fabrikam = "22222222-2222-4222-8222-222222222222";
const northwind = "33333333-3333-4333-8333-333333333333";
const csp = "44444444-4444-4444-8444-444444444444";
const alice = "b2000000-0000-4000-8000-000000000001";
const bob = "b2000000-0000-4000-8000-000000000002";
const carl = "d4000000-0000-4000-8000-000000000001";
const grace = "b2000000-0000-4000-8000-000000000003";
const globalAdmin = "62e90394-69f5-4237-9190-012177145e10";
const billingAdmin = "b0f54661-2d74-4c50-afa3-1ec803f12efe";
const helpdeskAdmin = "729827e3-9c14-49f7-bb1b-9608f156bbb8";

const direct = {
  beneficiaryTenantId: fabrikam,
  beneficiaryObjectId: alice,
  purchaserTenantId: fabrikam,
  purchaserObjectId: alice,
};
const viaCsp = {
  beneficiaryTenantId: fabrikam,
  beneficiaryObjectId: alice,
  purchaserTenantId: csp,
  purchaserObjectId: carl,
};

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
    expect(
      isPartyToSubscription({ tid: fabrikam, oid: bob }, { ...direct, ownerTenantId: fabrikam, ownerUserOid: bob }),
    ).toBe(true);
  });

  it("never matches missing identities", () => {
    const empty = {
      beneficiaryTenantId: null,
      beneficiaryObjectId: null,
      purchaserTenantId: null,
      purchaserObjectId: null,
    };
    expect(isPartyToSubscription({ tid: "", oid: "" }, empty)).toBe(false);
  });
});

describe("subscriptionAccess", () => {
  it("ranks the parties first, whatever else is true", () => {
    expect(subscriptionAccess({ tid: fabrikam, oid: alice, directoryRoles: [globalAdmin] }, direct, true)).toBe(
      "party",
    );
  });

  it("lets a Global or Billing Administrator of the beneficiary's tenant in, and no other directory role", () => {
    expect(subscriptionAccess({ tid: fabrikam, oid: grace, directoryRoles: [globalAdmin] }, direct, false)).toBe(
      "tenant_admin",
    );
    expect(
      subscriptionAccess({ tid: fabrikam, oid: grace, directoryRoles: [billingAdmin.toUpperCase()] }, direct, false),
    ).toBe("tenant_admin");
    expect(
      subscriptionAccess({ tid: fabrikam, oid: grace, directoryRoles: [helpdeskAdmin] }, direct, false),
    ).toBeNull();
    expect(subscriptionAccess({ tid: fabrikam, oid: grace }, direct, false)).toBeNull();
    expect(
      subscriptionAccess(
        { tid: fabrikam, oid: grace, directoryRoles: ["constructor", "toString", "__proto__"] },
        direct,
        false,
      ),
    ).toBeNull();
  });

  it("does not let an admin of another tenant in, not even the CSP partner's own admin", () => {
    expect(subscriptionAccess({ tid: northwind, oid: grace, directoryRoles: [globalAdmin] }, direct, false)).toBeNull();
    expect(
      subscriptionAccess(
        { tid: csp, oid: "d4000000-0000-4000-8000-000000000009", directoryRoles: [globalAdmin] },
        viaCsp,
        false,
      ),
    ).toBeNull();
  });

  it("lets an invited colleague in only through the recorded invitation", () => {
    expect(subscriptionAccess({ tid: fabrikam, oid: bob }, direct, true)).toBe("colleague");
    expect(subscriptionAccess({ tid: fabrikam, oid: bob }, direct, false)).toBeNull();
  });

  it("lets parties and tenant admins manage people, not colleagues", () => {
    expect([
      canManagePeople("party"),
      canManagePeople("tenant_admin"),
      canManagePeople("colleague"),
      canManagePeople(null),
    ]).toEqual([true, true, false, false]);
  });
});

describe("mayAcceptInvite", () => {
  it("accepts users of the beneficiary's or the purchaser's tenant only", () => {
    expect(mayAcceptInvite({ tid: fabrikam.toUpperCase(), oid: bob }, direct)).toBe(true);
    expect(mayAcceptInvite({ tid: csp, oid: "d4000000-0000-4000-8000-000000000009" }, viaCsp)).toBe(true);
    expect(mayAcceptInvite({ tid: northwind, oid: bob }, direct)).toBe(false);
  });
});
