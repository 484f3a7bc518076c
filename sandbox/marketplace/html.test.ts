import { describe, expect, it } from "vitest";
import { escapeHtml, html } from "./html";

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
    expect(escapeHtml("`")).toBe("&#96;");
  });
});
