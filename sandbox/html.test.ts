import { describe, expect, it } from "vitest";
import { html, page } from "./html";

describe("html", () => {
  it("escapes every interpolated value", () => {
    const name = `"><script>alert('x')</script>&`;
    expect(html`<input value="${name}">`.value).toBe(
      `<input value="&#34;&#62;&#60;script&#62;alert(&#39;x&#39;)&#60;/script&#62;&#38;">`,
    );
  });

  it("nests safe fragments and arrays without double escaping", () => {
    const items = ["a&b", "<c>"].map((v) => html`<li>${v}</li>`);
    expect(html`<ul>${items}</ul>`.value).toBe("<ul><li>a&#38;b</li><li>&#60;c&#62;</li></ul>");
    expect(html`${null}${undefined}${false}${0}`.value).toBe("0");
  });

  it("escapes backticks too", () => {
    expect(html`${"`"}`.value).toBe("&#96;");
  });
});

describe("page", () => {
  it("says on every page that it is the local sandbox, with the part's name in the title", () => {
    const identity = page({ part: "identity", title: "Sign in", body: html`<h1>Sign in</h1>` });
    expect(identity).toContain("Local sandbox — not Microsoft.");
    expect(identity).toContain("<title>Sign in · Sandbox identity provider</title>");
    expect(identity).toContain('lang="en"');
    const marketplace = page({ part: "marketplace", title: "Buy", body: html`<h1>Buy</h1>` });
    expect(marketplace).toContain("<title>Buy · Marketplace sandbox</title>");
    expect(marketplace).toContain('<a href="/purchase">Buy a subscription</a>');
  });

  it("escapes the title", () => {
    const shown = page({ part: "marketplace", title: "</title><script>x()</script>", body: html`` });
    expect(shown).not.toContain("<script>x()");
    expect(shown).toContain("&#60;/title&#62;&#60;script&#62;x()");
  });
});
