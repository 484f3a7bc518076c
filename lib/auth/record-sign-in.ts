import "server-only";
import { db } from "../db";

/** Remembers the tenant and user (by tid + oid) of every sign-in. */
export async function recordSignIn(options: { tid: string; oid: string; name: string | null; email: string | null }) {
  const now = new Date();
  await db().$transaction(async (tx) => {
    await tx.tenant.upsert({ where: { id: options.tid }, create: { id: options.tid }, update: {} });
    await tx.user.upsert({
      where: { tid_oid: { tid: options.tid, oid: options.oid } },
      create: { tid: options.tid, oid: options.oid, name: options.name, email: options.email, lastSignInAt: now },
      update: { name: options.name, email: options.email, lastSignInAt: now },
    });
  });
}
