import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import type { Directory } from "../types";
import {
  adaptTenantAuthorizeQuery,
  checkMultiTenantAuthorizationRequest,
  tenantAuthorizeLocation,
} from "./authorization-request";
import { createDirectoryLookup } from "./directory-lookup";

const seeded = JSON.parse(
  readFileSync(path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../config/directory.json"), "utf8"),
) as Directory;
const directory = createDirectoryLookup(seeded, "http://localhost:3000");
const SIGN_IN_APP = "5a1e0000-0000-4000-8000-00000000a001";
const CALLBACK = "http://localhost:3000/api/auth/callback/microsoft-entra-id";

describe("checkMultiTenantAuthorizationRequest", () => {
  const check = (params: Record<string, string>) =>
    checkMultiTenantAuthorizationRequest(directory, new URLSearchParams(params));

  it("accepts the multi-tenant sign-in app with its registered redirect URI", () => {
    const result = check({ client_id: SIGN_IN_APP, redirect_uri: CALLBACK, prompt: "login consent", state: "s" });
    expect(result).toMatchObject({ ok: true, redirectUri: CALLBACK, state: "s" });
    expect(result.ok && [...result.prompts]).toEqual(["login", "consent"]);
  });

  it("falls back to the only registered redirect URI when none is sent, and refuses when there are several", () => {
    const oneRedirect: Directory = {
      ...seeded,
      apps: seeded.apps.map((app) =>
        app.clientId === SIGN_IN_APP ? { ...app, redirectPaths: ["/api/auth/callback/microsoft-entra-id"] } : app,
      ),
    };
    const single = createDirectoryLookup(oneRedirect, "http://localhost:3000");
    expect(checkMultiTenantAuthorizationRequest(single, new URLSearchParams({ client_id: SIGN_IN_APP }))).toMatchObject(
      { ok: true, redirectUri: CALLBACK },
    );
    // The seeded sign-in app registers two (the portal's /common and tenant sign-in callbacks).
    expect(check({ client_id: SIGN_IN_APP })).toMatchObject({ ok: false, code: 500113 });
  });

  it("refuses with Entra's codes", () => {
    expect(check({})).toMatchObject({ ok: false, code: 900144 });
    expect(check({ client_id: "00000000-0000-4000-8000-000000000000" })).toMatchObject({ ok: false, code: 700016 });
    expect(check({ client_id: "f0f00000-0000-4000-8000-00000000f001" })).toMatchObject({ ok: false, code: 50194 });
    expect(check({ client_id: SIGN_IN_APP, redirect_uri: "http://localhost:3000/elsewhere" })).toMatchObject({
      ok: false,
      code: 50011,
    });
  });
});

describe("tenantAuthorizeLocation", () => {
  it("continues the same request in the user's tenant with login_hint, keeping only prompt=consent", () => {
    const original = new URLSearchParams({
      client_id: SIGN_IN_APP,
      state: "s",
      prompt: "login consent",
      login_hint: "old@x",
    });
    const location = new URL(tenantAuthorizeLocation("tid-1", original, "alice@fabrikam.example"), "https://idp");
    expect(location.pathname).toBe("/tid-1/oauth2/v2.0/authorize");
    expect(Object.fromEntries(location.searchParams)).toEqual({
      client_id: SIGN_IN_APP,
      state: "s",
      prompt: "consent",
      login_hint: "alice@fabrikam.example",
    });
    expect(
      new URL(
        tenantAuthorizeLocation("t", new URLSearchParams({ prompt: "select_account" }), "a@b"),
        "https://idp",
      ).searchParams.has("prompt"),
    ).toBe(false);
  });
});

describe("adaptTenantAuthorizeQuery", () => {
  const prompt = (search: string) => new URLSearchParams(adaptTenantAuthorizeQuery(search)).get("prompt");

  it("adds prompt=consent when offline_access is requested, so a refresh token is issued", () => {
    expect(prompt("?scope=openid%20offline_access")).toBe("consent");
    expect(prompt("?scope=openid%20offline_access&prompt=none")).toBe("none");
  });

  it("maps select_account to login and leaves other requests alone", () => {
    expect(prompt("?scope=openid&prompt=select_account")).toBe("login");
    expect(adaptTenantAuthorizeQuery("?scope=openid&state=x")).toBe("?scope=openid&state=x");
    expect(adaptTenantAuthorizeQuery("")).toBe("");
  });
});
