/** Checks a submitted sign-in form against the seeded directory. */
import { z } from "zod";
import type { DirectoryUser, Tenant } from "../types";
import { SANDBOX_PASSWORD, type DirectoryLookup } from "./directory-lookup";

const signInForm = z.object({
  email: z.string().trim().max(320).default(""),
  password: z.string().max(1024).default(""),
});

export type SignInCheck =
  /** `identity`: the account that signed in; `user`: its user object in the tenant signed in to. */
  { ok: true; user: DirectoryUser; identity: DirectoryUser } | { ok: false; email: string; error: string };

/**
 * `tenant` restricts sign-in to that tenant's members (a tenant's own authorize endpoint): the
 * user is then the account's user object there. Without it any seeded account signs in to its
 * own tenant (/common; a personal account to the tenant of personal accounts).
 */
export function checkSignIn(directory: DirectoryLookup, form: Record<string, string>, tenant?: Tenant): SignInCheck {
  const parsed = signInForm.safeParse(form);
  if (!parsed.success) return { ok: false, email: "", error: "Enter a valid email address and password." };
  const { email, password } = parsed.data;
  if (!email) return { ok: false, email, error: "Enter your email address." };
  if (!password) return { ok: false, email, error: "Enter your password." };

  const identity = directory.userByEmail(email);
  if (!identity) {
    return {
      ok: false,
      email,
      error: "We couldn't find an account with that email address. Use one of the seeded accounts listed below.",
    };
  }
  if (password !== SANDBOX_PASSWORD) {
    return {
      ok: false,
      email,
      error: `Your account or password is incorrect. Every seeded account's password is "${SANDBOX_PASSWORD}".`,
    };
  }
  if (!tenant) return { ok: true, user: identity, identity };
  const user = directory.accountIn(tenant.id, identity);
  if (!user) {
    const home = directory.tenant(identity.tid);
    // Entra's AADSTS50020: an account signs in only to tenants it is a member of.
    return {
      ok: false,
      email,
      error: `AADSTS50020: User account '${identity.email}' from tenant '${home?.name ?? identity.tid}' does not exist in tenant '${tenant.name}'. Sign in with an account of ${tenant.name}, or start from the app's /common sign-in.`,
    };
  }
  return { ok: true, user, identity };
}
