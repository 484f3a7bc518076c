import { describe, expect, it } from "vitest";
import type { DirectoryUser, Tenant } from "../types";
import { renderErrorPage, renderSignInPage } from "./sign-in-page";

const HOSTILE = `"><script>alert('x')</script>`;
const ESCAPED = "&#34;&#62;&#60;script&#62;alert(&#39;x&#39;)&#60;/script&#62;";
const tenant: Tenant = { id: "22222222-2222-4222-8222-222222222222", name: `Fabrikam ${HOSTILE}`, domain: "f.example" };
const account: DirectoryUser = {
  tid: tenant.id,
  oid: "o-1",
  name: `Eve ${HOSTILE}`,
  email: "eve@f.example",
  roles: [],
};

/** Every `<script` on the page: the identity provider's pages have none of their own. */
const scripts = (page: string) => page.match(/<script/gi) ?? [];

describe("identity provider pages", () => {
  it("escape a hostile login_hint, error, app name, hidden field and seeded account", () => {
    const page = renderSignInPage({
      action: `/common/login?x=${HOSTILE}`,
      hiddenFields: { request: `login_hint=${HOSTILE}` },
      appName: `App ${HOSTILE}`,
      tenant,
      email: HOSTILE,
      error: `Sign-in failed: ${HOSTILE}`,
      accounts: [account],
      tenantsById: new Map([[tenant.id, tenant]]),
    });
    expect(scripts(page)).toEqual([]);
    expect(page).toContain(`value="${ESCAPED}"`);
    expect(page).toContain(`<div class="errors" role="alert" id="signin-error">Sign-in failed: ${ESCAPED}</div>`);
    expect(page).toContain(`to continue to <strong>App ${ESCAPED}</strong>`);
    expect(page).toContain(`<td>Eve ${ESCAPED}</td>`);
    expect(page).toContain(`<input type="hidden" name="request" value="login_hint=${ESCAPED}">`);
    expect(page).toContain('<label for="email">Email</label>');
    expect(page).toContain('<button type="submit">Sign in</button>');
  });

  it("escape a hostile error description and details on the error page", () => {
    const page = renderErrorPage(`Error ${HOSTILE}`, `AADSTS90002: ${HOSTILE}`, {
      error: "invalid_request",
      [`state${HOSTILE}`]: HOSTILE,
    });
    expect(scripts(page)).toEqual([]);
    expect(page).toContain(`<h1>Error ${ESCAPED}</h1>`);
    expect(page).toContain(`<div class="errors" role="alert">AADSTS90002: ${ESCAPED}</div>`);
    expect(page).toContain(`<dt>state${ESCAPED}</dt><dd>${ESCAPED}</dd>`);
  });
});
