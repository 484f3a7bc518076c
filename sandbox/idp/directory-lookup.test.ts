import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import type { Directory } from "../types";
import { createDirectoryLookup } from "./directory-lookup";

const PERSONAL = "9188040d-6c67-4c5b-b112-36a304b66dad";
const MAYAS_DIRECTORY = "55555555-5555-4555-8555-555555555555";
const FABRIKAM = "22222222-2222-4222-8222-222222222222";
const MAYA = { consumerOid: "00000000-0000-0000-5e1f-7a3b9c2d4e61", memberOid: "e5000000-0000-4000-8000-000000000001" };

const seeded = JSON.parse(
  readFileSync(path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../config/directory.json"), "utf8"),
) as Directory;
const directory = createDirectoryLookup(seeded, "http://localhost:3000");

describe("a personal account that is also a member of the tenant created for it", () => {
  it("signs in by email as its personal identity, and is another user object in its directory", () => {
    const identity = directory.userByEmail("Maya@Outlook.example");
    expect(identity).toMatchObject({ tid: PERSONAL, oid: MAYA.consumerOid });
    if (!identity) return;

    expect(directory.accountIn(PERSONAL, identity)).toMatchObject({ oid: MAYA.consumerOid });
    expect(directory.accountIn(MAYAS_DIRECTORY, identity)).toMatchObject({
      tid: MAYAS_DIRECTORY,
      oid: MAYA.memberOid,
      email: "maya@outlook.example",
    });
    expect(directory.accountIn(FABRIKAM, identity)).toBeUndefined();
    expect(directory.otherTenantsOf(identity).map((t) => t.id)).toEqual([MAYAS_DIRECTORY]);
  });

  it("lists each person once among the sign-in identities, and the member object in its tenant", () => {
    const mayas = directory.signInIdentities().filter((u) => u.email === "maya@outlook.example");
    expect(mayas).toHaveLength(1);
    expect(directory.usersOf(MAYAS_DIRECTORY).map((u) => u.oid)).toEqual([MAYA.memberOid]);
    // Work accounts are members of their own tenant only.
    const alice = directory.userByEmail("alice@fabrikam.example");
    expect(alice && directory.accountIn(FABRIKAM, alice)).toBe(alice);
    expect(alice && directory.otherTenantsOf(alice)).toEqual([]);
  });
});

describe("directory links", () => {
  const member = seeded.users.find((u) => u.homeAccount);
  const withUsers = (users: Directory["users"]): Directory => ({ ...seeded, users });

  it("refuses a member entry whose home account does not exist or that lives in its home tenant", () => {
    if (!member) throw new Error("the seeded directory has a linked member");
    const others = seeded.users.filter((u) => u !== member);
    expect(() =>
      createDirectoryLookup(
        withUsers([
          ...others,
          { ...member, homeAccount: { tid: PERSONAL, oid: "00000000-0000-0000-0000-00000000dead" } },
        ]),
        "http://x",
      ),
    ).toThrow(/homeAccount names no sign-in identity/);
    expect(() => createDirectoryLookup(withUsers([...others, { ...member, tid: PERSONAL }]), "http://x")).toThrow(
      /one user object in its own tenant/,
    );
    expect(() =>
      createDirectoryLookup(
        withUsers([...seeded.users, { ...member, oid: "e5000000-0000-4000-8000-000000000002" }]),
        "http://x",
      ),
    ).toThrow(/already has a user object in this tenant/);
  });

  it("refuses two sign-in identities with one email", () => {
    const alice = seeded.users.find((u) => u.email === "alice@fabrikam.example");
    if (!alice) throw new Error("alice is seeded");
    expect(() =>
      createDirectoryLookup(
        withUsers([...seeded.users, { ...alice, oid: "b2000000-0000-4000-8000-000000000099" }]),
        "http://x",
      ),
    ).toThrow(/share the email alice@fabrikam.example/);
  });
});
