import { describe, expect, it } from "vitest";
import { addressHash, addressProblem, headerText, normalizeAddress } from "./mail-text";

describe("headerText", () => {
  it("neutralises CR/LF and other control characters, so a name cannot add a header", () => {
    expect(headerText("Alice\r\nBcc: victim@example.com")).toBe("Alice Bcc: victim@example.com");
    expect(headerText("Fabrikam\u2028Subject: x\t\u0000end")).toBe("Fabrikam Subject: x end");
    expect(headerText("  many   spaces  ")).toBe("many spaces");
  });

  it("cuts long text", () => {
    expect(headerText("x".repeat(300), 10)).toBe(`${"x".repeat(9)}…`);
  });
});

describe("addressProblem", () => {
  it("accepts a plain address and refuses broken ones with the reason", () => {
    expect(addressProblem("alice@fabrikam.example")).toBeNull();
    expect(addressProblem("not-an-address")).toMatch(/not a valid email address/);
    expect(addressProblem("alice@fabrikam.example\r\nBcc: x@y.z")).toMatch(/line breaks/);
    expect(addressProblem("a@b.example, c@d.example")).toMatch(/separators/);
  });
});

describe("addressHash", () => {
  it("is the same for the same mailbox whatever its case and spaces", () => {
    expect(addressHash(" Alice@Fabrikam.example ")).toBe(addressHash("alice@fabrikam.example"));
    expect(addressHash("alice@fabrikam.example")).toMatch(/^[0-9a-f]{64}$/);
    expect(normalizeAddress(" A@B.example")).toBe("a@b.example");
  });
});
