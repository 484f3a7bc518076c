/**
 * Every buyer server action through runBuyerAction, on a real database with a subscription bought
 * in the sandbox (the session is stubbed, as in lib/admin/authorization.int.test.ts). A layout
 * never runs for a server action, so each must refuse by itself: signed out, "session ended";
 * signed in as a stranger, the domain's refusal; and in both cases nothing is written.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { db, disconnectDatabase } from "@/lib/db";
import { sandboxControl } from "@/tests/support/sandbox-control";
import { seeded } from "@/tests/support/sandbox-env";
import { activateSubscription } from "@/lib/subscriptions/activate-subscription";
import { resolvePurchase } from "@/lib/subscriptions/resolve-purchase";
import type { RequestedChange } from "@/lib/subscriptions/change-consequences";
import { reviewChange } from "@/tests/support/customer-change";

const session = vi.hoisted(() => ({
  user: null as null | { tid: string; oid: string; roles: string[]; email?: string },
  revalidated: [] as string[],
}));
vi.mock("@/auth", () => ({ auth: async () => (session.user ? { user: session.user } : null) }));
// Outside a Next.js request there is no cache to revalidate: record what would be.
vi.mock("next/cache", () => ({
  revalidatePath: (path: string) => void session.revalidated.push(path),
  refresh: () => void session.revalidated.push("(refresh)"),
}));

const sandbox = sandboxControl();
const alice = { tid: seeded.alice.tid, oid: seeded.alice.oid, roles: [], email: seeded.alice.email };
const bob = { tid: seeded.bob.tid, oid: seeded.bob.oid, roles: [] };
const nina = { tid: seeded.nina.tid, oid: seeded.nina.oid, roles: [] };
let subscriptionId: string;

beforeAll(async () => {
  const purchase = await sandbox.purchase({
    offerId: "contoso-analytics",
    planId: "pro-seats",
    quantity: 5,
    beneficiary: { tid: seeded.alice.tid, oid: seeded.alice.oid },
  });
  await resolvePurchase({ token: purchase.token, actor: alice });
  await activateSubscription({
    subscriptionId: purchase.subscriptionId,
    accountConfig: {
      companyName: "Fabrikam",
      contactName: "Alice",
      contactEmail: "it@fabrikam.example",
      acceptTerms: "on",
    },
    actor: alice,
  });
  subscriptionId = purchase.subscriptionId;
});

beforeEach(() => {
  session.revalidated = [];
});

afterAll(async () => {
  await disconnectDatabase();
});

const form = (fields: Record<string, string>) => {
  const data = new FormData();
  for (const [name, value] of Object.entries(fields)) data.set(name, value);
  return data;
};

/** Every buyer action aimed at Alice's subscription with a plausible form. */
async function buyerActions() {
  const changes = await import("@/app/(account)/account/subscriptions/[id]/actions");
  const people = await import("@/app/(account)/account/subscriptions/[id]/people-actions");
  const invitation = await import("@/app/(account)/account/invitations/[token]/actions");
  const landing = await import("@/app/(buyer)/landing/actions");
  // What the review page puts in its confirm form (reviewed as Alice, who may see the subscription).
  const terms = async (change: RequestedChange) =>
    JSON.stringify(await reviewChange({ subscriptionId, actor: { ...alice, roles: [] }, change }));
  const planTerms = await terms({ kind: "plan", planId: "enterprise-seats" });
  const seatTerms = await terms({ kind: "quantity", quantity: "7" });
  return {
    changePlan: () => changes.confirmChange(subscriptionId, {}, form({ terms: planTerms })),
    changeSeats: () => changes.confirmChange(subscriptionId, {}, form({ terms: seatTerms })),
    cancel: () => changes.cancelSubscription(subscriptionId, {}, form({ confirm: "cancel" })),
    createInvite: () => people.createInviteLink(subscriptionId, {}, form({})),
    withdrawInvite: () =>
      people.withdrawInvite(subscriptionId, {}, form({ inviteId: "00000000-0000-4000-8000-0000000000aa" })),
    removeColleague: () =>
      people.removeColleagueAccess(subscriptionId, {}, form({ person: `${seeded.bob.tid}:${seeded.bob.oid}` })),
    acceptInvitation: () => invitation.acceptInvitation("a".repeat(43), {}),
    activate: () =>
      landing.activateFromLanding(
        {},
        form({
          subscriptionId,
          companyName: "Northwind",
          contactName: "Nina",
          contactEmail: "n@northwind.example",
          acceptTerms: "on",
        }),
      ),
  };
}

const rowCounts = () =>
  Promise.all([
    db().auditEvent.count(),
    db().operation.count(),
    db().subscriptionInvite.count(),
    db().subscriptionMember.count(),
  ]);

describe("buyer server actions", () => {
  it("signed out: every action says the session has ended, and nothing changes", async () => {
    session.user = null;
    const before = await rowCounts();
    for (const [action, call] of Object.entries(await buyerActions())) {
      const state = await call();
      expect(state.error?.title, action).toBe("Your session has ended");
    }
    expect(await rowCounts()).toEqual(before);
    expect(session.revalidated).toEqual([]);
  });

  it("the landing form keeps what was typed when the session has ended", async () => {
    session.user = null;
    const state = await (await buyerActions()).activate();
    expect(state).toMatchObject({
      values: { companyName: "Northwind", contactEmail: "n@northwind.example" },
      error: { message: expect.stringContaining("what you typed is kept") },
    });
  });

  it("a stranger of another organisation gets the domain's refusal from every action, not a crash, and nothing changes", async () => {
    session.user = nina;
    const before = await rowCounts();
    for (const [action, call] of Object.entries(await buyerActions())) {
      const state = await call();
      expect(state.error?.title, action).toBe(
        action === "acceptInvitation"
          ? "This invitation cannot be used"
          : "This subscription belongs to another account",
      );
    }
    expect(await rowCounts()).toEqual(before);
  });

  it("the owner's change is recorded and redirect() reaches Next untouched; an invited colleague's acceptance too", async () => {
    session.user = alice;
    const actions = await buyerActions();
    const page = `/account/subscriptions/${subscriptionId}`;

    const invite = await actions.createInvite();
    expect(invite.link).toMatch(/\/account\/invitations\/[\w-]{43}$/);
    expect(session.revalidated).toEqual([page]);

    await expect(actions.changeSeats()).rejects.toMatchObject({ digest: expect.stringContaining(`;${page};`) });
    expect(
      await db().operation.count({ where: { subscriptionId, action: "ChangeQuantity", requestedQuantity: 7 } }),
    ).toBe(1);

    session.user = bob;
    const { acceptInvitation } = await import("@/app/(account)/account/invitations/[token]/actions");
    const token = new URL(invite.link!).pathname.split("/").pop()!;
    await expect(acceptInvitation(token, {})).rejects.toMatchObject({ digest: expect.stringContaining(`;${page};`) });
    expect(await db().subscriptionMember.count({ where: { subscriptionId, userOid: seeded.bob.oid } })).toBe(1);
  });
});
