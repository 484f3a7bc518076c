import "server-only";
import { auth } from "@/auth";

/** The signed-in person as the portal authorizes them: stable Entra ids, never email. */
export interface Actor {
  tid: string;
  oid: string;
  name?: string | null;
  email?: string | null;
  /** App roles of our sign-in app (the `roles` claim). */
  roles: string[];
  /** Entra directory role template ids in the user's own tenant (the `wids` claim). */
  directoryRoles?: string[];
}

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
