import { describe, expect, it } from "vitest";
import { entraSignOutUrl } from "./entra-sign-out-url";

describe("entraSignOutUrl", () => {
  it("is the issuer's end-session endpoint, returning to the portal's home page for the sign-in app", () => {
    Object.assign(process.env, {
      AUTH_SECRET: "unit-test-secret-unit-test-secret-unit",
      AUTH_MICROSOFT_ENTRA_ID_ID: "5a1e0000-0000-4000-8000-00000000a001",
      AUTH_MICROSOFT_ENTRA_ID_SECRET: "secret",
      AUTH_MICROSOFT_ENTRA_ID_ISSUER: "https://login.microsoftonline.com/common/v2.0",
      PUBLIC_BASE_URL: "https://portal.example.com/base",
    });
    const url = new URL(entraSignOutUrl());
    expect(url.origin + url.pathname).toBe("https://login.microsoftonline.com/common/oauth2/v2.0/logout");
    expect(Object.fromEntries(url.searchParams)).toEqual({
      post_logout_redirect_uri: "https://portal.example.com/",
      client_id: "5a1e0000-0000-4000-8000-00000000a001",
    });
  });
});
