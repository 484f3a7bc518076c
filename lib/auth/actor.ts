/**
 * Who acts, as the portal authorizes them. A type of its own, so domain code (jobs, the tools
 * project) can name an actor without importing the sign-in stack (next-auth, and with it Next's
 * global types).
 *
 * The signed-in person as the portal authorizes them: stable Entra ids, never email.
 */
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
