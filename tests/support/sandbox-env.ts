/** Portal configuration pointing at a sandbox origin, with the seeded sandbox apps. */
export function portalEnvForSandbox(sandboxUrl: string, portalUrl: string): Record<string, string> {
  return {
    AUTH_SECRET: "test-only-secret-test-only-secret-test-only-secret",
    AUTH_MICROSOFT_ENTRA_ID_ID: "5a1e0000-0000-4000-8000-00000000a001",
    AUTH_MICROSOFT_ENTRA_ID_SECRET: "sandbox-signin-secret",
    AUTH_MICROSOFT_ENTRA_ID_ISSUER: `${sandboxUrl}/common/v2.0`,
    MARKETPLACE_TENANT_ID: "11111111-1111-4111-8111-111111111111",
    MARKETPLACE_CLIENT_ID: "f0f00000-0000-4000-8000-00000000f001",
    MARKETPLACE_CLIENT_SECRET: "sandbox-fulfillment-secret",
    MARKETPLACE_API_BASE: `${sandboxUrl}/api`,
    ENTRA_AUTHORITY_HOST: sandboxUrl,
    PUBLIC_BASE_URL: portalUrl,
    // The sandbox's sample product: where "Open <product>" posts the hand-off (sandbox/product).
    PRODUCT_URL: `${sandboxUrl}/product`,
    NEXT_TELEMETRY_DISABLED: "1",
    CHECKPOINT_DISABLE: "1",
  };
}

export const seeded = {
  publisherTenant: "11111111-1111-4111-8111-111111111111",
  fabrikam: "22222222-2222-4222-8222-222222222222",
  northwind: "33333333-3333-4333-8333-333333333333",
  cspTenant: "44444444-4444-4444-8444-444444444444",
  alice: {
    tid: "22222222-2222-4222-8222-222222222222",
    oid: "b2000000-0000-4000-8000-000000000001",
    email: "alice@fabrikam.example",
    name: "Alice Admin",
  },
  bob: {
    tid: "22222222-2222-4222-8222-222222222222",
    oid: "b2000000-0000-4000-8000-000000000002",
    email: "bob@fabrikam.example",
    name: "Bob Builder",
  },
  grace: {
    tid: "22222222-2222-4222-8222-222222222222",
    oid: "b2000000-0000-4000-8000-000000000003",
    email: "grace@fabrikam.example",
    name: "Grace Global",
  },
  nina: {
    tid: "33333333-3333-4333-8333-333333333333",
    oid: "c3000000-0000-4000-8000-000000000001",
    email: "nina@northwind.example",
    name: "Nina North",
  },
  carl: {
    tid: "44444444-4444-4444-8444-444444444444",
    oid: "d4000000-0000-4000-8000-000000000001",
    email: "carl@adatum-csp.example",
    name: "Carl Reseller",
  },
  personalAccounts: "9188040d-6c67-4c5b-b112-36a304b66dad",
  mayasDirectory: "55555555-5555-4555-8555-555555555555",
  /** A personal Microsoft account as /common signs it in (the tenant of personal accounts). */
  mayaPersonal: {
    tid: "9188040d-6c67-4c5b-b112-36a304b66dad",
    oid: "00000000-0000-0000-5e1f-7a3b9c2d4e61",
    email: "maya@outlook.example",
    name: "Maya Personal",
  },
  /** The same person in the tenant Azure created for her account: her purchases name this tid + oid. */
  maya: {
    tid: "55555555-5555-4555-8555-555555555555",
    oid: "e5000000-0000-4000-8000-000000000001",
    email: "maya@outlook.example",
    name: "Maya Personal",
  },
} as const;
