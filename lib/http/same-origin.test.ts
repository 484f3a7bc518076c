import { describe, expect, it } from "vitest";
import { isSameOriginRequest } from "./same-origin";

const base = {
  requestUrl: "http://10.0.0.5:3000/api/handoff/x",
  publicBaseUrl: "https://portal.contoso.example",
};

describe("isSameOriginRequest", () => {
  it("accepts a form of our own pages, by the public URL or the address the request reached", () => {
    expect(
      isSameOriginRequest({ ...base, secFetchSite: "same-origin", origin: "https://portal.contoso.example" }),
    ).toBe(true);
    expect(isSameOriginRequest({ ...base, secFetchSite: "same-origin", origin: "http://10.0.0.5:3000" })).toBe(true);
  });

  it("refuses a form posted from another site, by either header", () => {
    expect(isSameOriginRequest({ ...base, secFetchSite: "cross-site", origin: "https://evil.example" })).toBe(false);
    expect(isSameOriginRequest({ ...base, secFetchSite: "same-site", origin: "https://www.contoso.example" })).toBe(
      false,
    );
    expect(isSameOriginRequest({ ...base, secFetchSite: null, origin: "https://evil.example" })).toBe(false);
    expect(isSameOriginRequest({ ...base, secFetchSite: "cross-site", origin: null })).toBe(false);
    expect(isSameOriginRequest({ ...base, secFetchSite: null, origin: "null" })).toBe(false);
  });

  it("lets a client that is not a browser through (no form can be forged without one)", () => {
    expect(isSameOriginRequest({ ...base, secFetchSite: null, origin: null })).toBe(true);
  });
});
