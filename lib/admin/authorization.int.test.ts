/**
 * Who gets into the console, through the real guard, env parsing and route handler (the session is
 * stubbed: the sign-in itself is covered by the sandbox's tests and the e2e suite). Everyone but
 * an admin gets a 404 from pages (notFound) and from the admin API.
 */
import { beforeAll, describe, expect, it, vi } from "vitest";
import { countJobs } from "@/lib/jobs/job-store";
import { seeded } from "@/tests/support/sandbox-env";

const session = vi.hoisted(() => ({
  user: null as null | { tid: string; oid: string; roles: string[]; name?: string; email?: string },
}));
vi.mock("@/auth", () => ({ auth: async () => (session.user ? { user: session.user } : null) }));

const listed = { tid: seeded.northwind, oid: "c3000000-0000-4000-8000-000000000002" }; // Oscar, by id
const personas = {
  "signed out": null,
  "publisher user without the role (pete)": {
    tid: seeded.publisherTenant,
    oid: "a1000000-0000-4000-8000-000000000002",
    roles: [],
  },
  "customer (alice)": { tid: seeded.alice.tid, oid: seeded.alice.oid, roles: [] },
  "another tenant's user with a same-named role": {
    tid: seeded.nina.tid,
    oid: seeded.nina.oid,
    roles: ["Publisher.Admin"],
  },
  "admin by role (paula)": {
    tid: seeded.publisherTenant,
    oid: "a1000000-0000-4000-8000-000000000001",
    roles: ["Publisher.Admin"],
  },
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

/** Every console server action, aimed at a made-up target with a forged but plausible form. */
async function consoleActions() {
  const subscription = await import("@/app/(admin)/admin/subscriptions/[id]/actions");
  const general = await import("@/app/(admin)/admin/_components/console-actions");
  const usage = await import("@/app/(admin)/admin/usage/actions");
  const keys = await import("@/app/(admin)/admin/api-keys/actions");
  const id = "00000000-0000-4000-8000-000000000000";
  return {
    activate: (form: FormData) => subscription.activateAction(id, {}, form),
    changePlan: (form: FormData) => subscription.changePlanAction(id, {}, form),
    changeSeats: (form: FormData) => subscription.changeSeatsAction(id, {}, form),
    unsubscribe: (form: FormData) => subscription.unsubscribeAction(id, {}, form),
    resync: (form: FormData) => subscription.resyncAction(id, {}, form),
    resendAcknowledgement: (form: FormData) => subscription.resendAcknowledgementAction(id, {}, form),
    retryWebhook: (form: FormData) => general.retryWebhookAction(id, {}, form),
    retryJob: (form: FormData) => general.retryJobAction({}, form),
    syncNow: (form: FormData) => general.syncNowAction({}, form),
    submitUsageNow: (form: FormData) => usage.submitUsageNowAction({}, form),
    retryUsageHour: (form: FormData) => usage.retryUsageHourAction("x", {}, form),
    revokeKey: (form: FormData) => keys.revokeApiKeyAction(id, {}, form),
    createKey: (form: FormData) => keys.createApiKeyAction({}, form),
  };
}

const forgedForm = (confirm: boolean) => {
  const form = new FormData();
  if (confirm) form.set("confirm", "yes");
  for (const [name, value] of Object.entries({ planId: "", quantity: "-1", jobId: "not-a-job", name: "forged key" }))
    form.set(name, value);
  return form;
};

const rowCounts = async () => {
  const { db } = await import("@/lib/db");
  return Promise.all([
    db().auditEvent.count(),
    countJobs().then((counts) => Object.values(counts).reduce((sum, n) => sum + n, 0)),
    db().apiKey.count(),
    db().operation.count(),
  ]);
};

describe("console server actions", () => {
  it.each(Object.entries(personas).filter(([name]) => !admins.has(name)))(
    "%s: every action answers 404 before looking at the form, and nothing changes",
    async (_name, user) => {
      session.user = user ? { ...user, roles: [...user.roles] } : null;
      const before = await rowCounts();
      for (const [action, call] of Object.entries(await consoleActions())) {
        await expect(call(forgedForm(true)), action).rejects.toMatchObject({ digest: expect.stringMatching(/404/) });
      }
      expect(await rowCounts()).toEqual(before);
    },
  );

  it("an admin's post without the confirmation box changes nothing and says why", async () => {
    session.user = { ...personas["admin by role (paula)"], roles: ["Publisher.Admin"] };
    const before = await rowCounts();
    // Creating a key is a form, not a confirmed action (the e2e key flow covers it).
    const { createKey: _creation, ...confirmed } = await consoleActions();
    for (const [action, call] of Object.entries(confirmed)) {
      await expect(call(forgedForm(false)), action).resolves.toEqual({
        error: "Tick the confirmation box first. Nothing was changed.",
      });
    }
    expect(await rowCounts()).toEqual(before);
  });
});
