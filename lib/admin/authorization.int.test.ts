/**
 * Who gets into the console, through the real guard, env parsing and route handler (the session is
 * stubbed: the sign-in itself is covered by the sandbox's tests and the e2e suite). Everyone but
 * an admin gets a 404 from pages (notFound) and from the admin API.
 */
import { beforeAll, describe, expect, it, vi } from "vitest";
import { seeded } from "@/tests/support/sandbox-env";

const session = vi.hoisted(() => ({ user: null as null | { tid: string; oid: string; roles: string[]; name?: string; email?: string } }));
vi.mock("@/auth", () => ({ auth: async () => (session.user ? { user: session.user } : null) }));

const listed = { tid: seeded.northwind, oid: "c3000000-0000-4000-8000-000000000002" }; // Oscar, by id
const personas = {
  "signed out": null,
  "publisher user without the role (pete)": { tid: seeded.publisherTenant, oid: "a1000000-0000-4000-8000-000000000002", roles: [] },
  "customer (alice)": { tid: seeded.alice.tid, oid: seeded.alice.oid, roles: [] },
  "another tenant's user with a same-named role": { tid: seeded.nina.tid, oid: seeded.nina.oid, roles: ["Publisher.Admin"] },
  "admin by role (paula)": { tid: seeded.publisherTenant, oid: "a1000000-0000-4000-8000-000000000001", roles: ["Publisher.Admin"] },
  "admin by id (ADMIN_USERS)": { ...listed, roles: [] },
} as const;
const admins = new Set(["admin by role (paula)", "admin by id (ADMIN_USERS)"]);

beforeAll(() => {
  process.env.ADMIN_USERS = `${listed.tid}:${listed.oid.toUpperCase()}`;
});

describe.each(Object.entries(personas))("%s", (name, user) => {
  const admin = admins.has(name);
  it(admin ? "passes the page guard" : "gets a 404 from the page guard", async () => {
    session.user = user ? { ...user, roles: [...user.roles] } : null;
    const { requirePublisherAdmin } = await import("@/lib/auth/require-publisher-admin");
    if (admin) {
      await expect(requirePublisherAdmin()).resolves.toMatchObject({ tid: user!.tid, oid: user!.oid });
    } else {
      await expect(requirePublisherAdmin()).rejects.toMatchObject({ digest: expect.stringMatching(/404/) });
    }
  });
  it(admin ? "downloads the CSV export" : "gets a plain 404 from the admin API", async () => {
    session.user = user ? { ...user, roles: [...user.roles] } : null;
    const { GET } = await import("@/app/api/admin/subscriptions/export/route");
    const response = await GET(new Request("http://localhost/api/admin/subscriptions/export?q=nothing-matches-this"));
    expect(response.status).toBe(admin ? 200 : 404);
    if (admin) expect(response.headers.get("content-type")).toMatch(/text\/csv/);
    else expect(await response.text()).toBe("Not found");
  });
});
