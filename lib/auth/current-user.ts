import "server-only";
import { auth } from "@/auth";

export type { Actor } from "./actor";
import type { Actor } from "./actor";

export async function currentUser(): Promise<Actor | null> {
  const session = await auth();
  const user = session?.user;
  if (!user?.tid || !user.oid) return null;
  return {
    tid: user.tid,
    oid: user.oid,
    name: user.name,
    email: user.email,
    roles: user.roles ?? [],
    directoryRoles: user.directoryRoles ?? [],
  };
}
