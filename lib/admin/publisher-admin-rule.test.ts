import { describe, expect, it } from "vitest";
import { isPublisherAdmin } from "@/lib/auth/is-publisher-admin";
import { seeded } from "@/tests/support/sandbox-env";

const config = {
  publisherTenantId: seeded.publisherTenant,
  adminUsers: [`${seeded.northwind}:c3000000-0000-4000-8000-000000000002`],
};
const paula = { tid: seeded.publisherTenant, oid: "a1000000-0000-4000-8000-000000000001", roles: ["Publisher.Admin"] };
const pete = { tid: seeded.publisherTenant, oid: "a1000000-0000-4000-8000-000000000002", roles: [] };

describe("who is a publisher admin", () => {
  it("a publisher-tenant user with the Publisher.Admin role is", () =>
    expect(isPublisherAdmin(paula, config)).toBe(true));
  it("a publisher-tenant user without the role is not", () => expect(isPublisherAdmin(pete, config)).toBe(false));
  it("a user listed by tid:oid in ADMIN_USERS is, whatever the case of the ids", () => {
    expect(
      isPublisherAdmin(
        { tid: seeded.northwind.toUpperCase(), oid: "C3000000-0000-4000-8000-000000000002", roles: [] },
        config,
      ),
    ).toBe(true);
  });
  it("another tenant's user with a role of the same name is not (the role must come from the publisher tenant)", () => {
    expect(isPublisherAdmin({ ...seeded.alice, roles: ["Publisher.Admin"] }, config)).toBe(false);
  });
  it("the listed oid in another tenant is not", () => {
    expect(
      isPublisherAdmin({ tid: seeded.fabrikam, oid: "c3000000-0000-4000-8000-000000000002", roles: [] }, config),
    ).toBe(false);
  });
  it("a similar role name is not the role", () =>
    expect(isPublisherAdmin({ ...pete, roles: ["publisher.admin", "Publisher.Admins"] }, config)).toBe(false));
});
