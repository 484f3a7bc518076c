import { describe, expect, it } from "vitest";
import { parseAccountConfig } from "./account-config";

const valid = {
  companyName: "Fabrikam, Inc.",
  contactName: "Alice Admin",
  contactEmail: " alice@fabrikam.example ",
  phone: "+1 (425) 555-0100",
  country: "US",
  seatsExpected: "25",
  acceptTerms: "on",
};

describe("account configuration", () => {
  it("accepts a complete form and trims values", () => {
    const parsed = parseAccountConfig(valid);
    expect(parsed.success && parsed.data.contactEmail).toBe("alice@fabrikam.example");
  });

  it("accepts optional fields left empty", () => {
    expect(parseAccountConfig({ ...valid, phone: "", country: "", seatsExpected: "" }).success).toBe(true);
  });

  it.each([
    ["companyName", "", "Company name is required"],
    ["companyName", "x".repeat(121), "at most 120"],
    ["companyName", "<script>alert(1)</script>", "not allowed"],
    ["contactName", "Alice\u0000", "not allowed"],
    ["contactEmail", "not-an-email", "valid email"],
    ["phone", "call me", "digits"],
    ["country", "Narnia", "Choose a country"],
    ["seatsExpected", "-3", "whole number"],
    ["acceptTerms", undefined, "accept the terms"],
  ])("refuses %s = %j with a clear message", (field, value, message) => {
    const parsed = parseAccountConfig({ ...valid, [field]: value });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues.find((issue) => issue.path[0] === field)?.message).toContain(message);
  });

  it("refuses non-string values", () => {
    expect(parseAccountConfig({ ...valid, companyName: { $ne: "" } }).success).toBe(false);
  });
});
