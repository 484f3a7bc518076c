/**
 * Colleagues' access on a real database with subscriptions bought in the sandbox: invitation
 * links (single use, own organisation only, expiring, withdrawable), tenant admins by directory
 * role, and what each kind of access may do.
 */
import { afterAll, describe, expect, it } from "vitest";
import { db, disconnectDatabase } from "@/lib/db";
import { recordSignIn } from "@/lib/auth/record-sign-in";
import { sandboxControl } from "@/tests/support/sandbox-control";
import { seeded } from "@/tests/support/sandbox-env";
import { activateSubscription } from "@/lib/subscriptions/activate-subscription";
import { findAccessibleSubscription, listOwnSubscriptions } from "@/lib/subscriptions/find-own-subscription";
import { reviewAndConfirm } from "@/tests/support/customer-change";
import { resolvePurchase } from "@/lib/subscriptions/resolve-purchase";
import { acceptInvite } from "./accept-invite";
import { createInvite } from "./create-invite";
import { describeInvite } from "./describe-invite";
import { listPeople } from "./list-people";
import { removeColleague } from "./remove-colleague";
import { revokeInvite } from "./revoke-invite";

const sandbox = sandboxControl();
const GLOBAL_ADMIN = "62e90394-69f5-4237-9190-012177145e10";
const alice = { ...seeded.alice, roles: [] };
const bob = { ...seeded.bob, roles: [] };
const grace = { ...seeded.grace, roles: [], directoryRoles: [GLOBAL_ADMIN] };
const nina = { ...seeded.nina, roles: [], directoryRoles: [GLOBAL_ADMIN] };

async function activeSubscription() {
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
      contactEmail: "alice@fabrikam.example",
      acceptTerms: "on",
    },
    actor: alice,
  });
  return purchase.subscriptionId;
}

const members = (id: string) => db().subscriptionMember.findMany({ where: { subscriptionId: id } });
const audit = (id: string, action: string) => db().auditEvent.findMany({ where: { subscriptionId: id, action } });

afterAll(async () => {
  await disconnectDatabase();
});

describe("invitation links", () => {
  it("let a colleague of the same organisation in once; they can change the subscription but not invite others", async () => {
    const id = await activeSubscription();
    expect(await findAccessibleSubscription({ subscriptionId: id, actor: bob })).toBeNull();

    const invite = await createInvite({ subscriptionId: id, actor: alice });
    expect(invite.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const stored = await db().subscriptionInvite.findUniqueOrThrow({ where: { id: invite.inviteId } });
    expect(stored.tokenHash).not.toContain(invite.token); // only a hash is kept

    await recordSignIn({ tid: alice.tid, oid: alice.oid, name: alice.name, email: alice.email });
    await expect(describeInvite({ token: invite.token, actor: bob })).resolves.toMatchObject({
      subscriptionId: id,
      invitedBy: "Alice Admin",
      alreadyHasAccess: false,
    });
    await expect(acceptInvite({ token: invite.token, actor: bob })).resolves.toEqual({
      subscriptionId: id,
      added: true,
    });
    expect(await findAccessibleSubscription({ subscriptionId: id, actor: bob })).toMatchObject({ access: "colleague" });
    expect((await listOwnSubscriptions({ actor: bob })).map((row) => row.id)).toContain(id);
    expect(await audit(id, "colleague_added")).toEqual([
      expect.objectContaining({ actorTid: bob.tid, actorOid: bob.oid }),
    ]);

    // Single use: nobody else gets in with the same link.
    await expect(acceptInvite({ token: invite.token, actor: grace })).rejects.toMatchObject({ code: "invite_invalid" });

    await expect(
      reviewAndConfirm({ subscriptionId: id, actor: bob, change: { kind: "quantity", quantity: "8" } }),
    ).resolves.toMatchObject({ operationId: expect.any(String) });
    expect(await audit(id, "change_requested")).toEqual([expect.objectContaining({ actorOid: bob.oid })]);
    await expect(createInvite({ subscriptionId: id, actor: bob })).rejects.toMatchObject({
      code: "people_not_allowed",
    });
    await expect(
      removeColleague({ subscriptionId: id, tenantId: bob.tid, userOid: bob.oid, actor: bob }),
    ).rejects.toMatchObject({ code: "people_not_allowed" });
  });

  it("refuse a user of another organisation, and record nothing", async () => {
    const id = await activeSubscription();
    const invite = await createInvite({ subscriptionId: id, actor: alice });
    await expect(describeInvite({ token: invite.token, actor: nina })).rejects.toMatchObject({
      code: "invite_wrong_tenant",
    });
    await expect(acceptInvite({ token: invite.token, actor: nina })).rejects.toMatchObject({
      code: "invite_wrong_tenant",
    });
    expect(await members(id)).toEqual([]);
    expect((await db().subscriptionInvite.findUniqueOrThrow({ where: { id: invite.inviteId } })).acceptedAt).toBeNull();
    expect(await findAccessibleSubscription({ subscriptionId: id, actor: nina })).toBeNull();
  });

  it("refuse unknown, malformed, expired and withdrawn links with the same answer", async () => {
    const id = await activeSubscription();
    const later = new Date(Date.now() + 8 * 86_400_000);
    const expired = await createInvite({ subscriptionId: id, actor: alice });
    await expect(acceptInvite({ token: expired.token, actor: bob, now: later })).rejects.toMatchObject({
      code: "invite_invalid",
    });

    const withdrawn = await createInvite({ subscriptionId: id, actor: alice });
    await revokeInvite({ subscriptionId: id, inviteId: withdrawn.inviteId, actor: alice });
    await expect(acceptInvite({ token: withdrawn.token, actor: bob })).rejects.toMatchObject({
      code: "invite_invalid",
    });
    await expect(
      revokeInvite({ subscriptionId: id, inviteId: withdrawn.inviteId, actor: alice }),
    ).rejects.toMatchObject({ code: "invite_invalid" });

    for (const token of ["", "x", "A".repeat(43), `${expired.token}=`, "../../etc/passwd", "' OR 1=1 --"]) {
      await expect(acceptInvite({ token, actor: bob })).rejects.toMatchObject({ code: "invite_invalid" });
    }
    expect(await members(id)).toEqual([]);
    expect((await listPeople({ subscriptionId: id, now: new Date() })).invites.map((row) => row.id)).toEqual([
      expired.inviteId,
    ]);
  });

  it("are redeemed once even when the colleague submits twice at the same moment", async () => {
    const id = await activeSubscription();
    const invite = await createInvite({ subscriptionId: id, actor: alice });
    const results = await Promise.allSettled([
      acceptInvite({ token: invite.token, actor: bob }),
      acceptInvite({ token: invite.token, actor: bob }),
    ]);
    expect(results.filter((result) => result.status === "fulfilled" && result.value.added)).toHaveLength(1);
    expect(await members(id)).toHaveLength(1);
    expect(await audit(id, "colleague_added")).toHaveLength(1);
  });

  it("can be taken back: a removed colleague no longer sees the subscription", async () => {
    const id = await activeSubscription();
    const invite = await createInvite({ subscriptionId: id, actor: alice });
    await acceptInvite({ token: invite.token, actor: bob });
    await removeColleague({ subscriptionId: id, tenantId: bob.tid, userOid: bob.oid, actor: alice });
    expect(await findAccessibleSubscription({ subscriptionId: id, actor: bob })).toBeNull();
    await expect(
      reviewAndConfirm({ subscriptionId: id, actor: bob, change: { kind: "quantity", quantity: "9" } }),
    ).rejects.toMatchObject({ code: "not_owner" });
    expect(await audit(id, "colleague_removed")).toHaveLength(1);
  });
});

describe("tenant admins", () => {
  it("see and manage their organisation's subscriptions and may invite; an admin of another tenant gets not-found", async () => {
    const id = await activeSubscription();
    expect(await findAccessibleSubscription({ subscriptionId: id, actor: grace })).toMatchObject({
      access: "tenant_admin",
    });
    expect((await listOwnSubscriptions({ actor: grace })).map((row) => row.id)).toContain(id);
    expect(
      await findAccessibleSubscription({ subscriptionId: id, actor: { ...grace, directoryRoles: [] } }),
    ).toBeNull();
    await expect(createInvite({ subscriptionId: id, actor: grace })).resolves.toMatchObject({
      token: expect.any(String),
    });

    expect(await findAccessibleSubscription({ subscriptionId: id, actor: nina })).toBeNull();
    expect((await listOwnSubscriptions({ actor: nina })).map((row) => row.id)).not.toContain(id);
    await expect(createInvite({ subscriptionId: id, actor: nina })).rejects.toMatchObject({ code: "not_owner" });
  });
});
