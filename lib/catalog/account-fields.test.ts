import { describe, expect, it } from "vitest";
import {
  accountConfigSchema,
  accountFieldListSchema,
  accountFormValues,
  defaultAccountFields,
  displayValue,
  type AccountFieldInput,
} from "./account-fields";

const fields = accountFieldListSchema.parse([
  { type: "text", name: "companyName", label: "Company name", required: true, maxLength: 20 },
  {
    type: "text",
    name: "subdomain",
    label: "Workspace address",
    minLength: 3,
    pattern: "[a-z][a-z0-9-]*",
    patternMessage: "Use lower-case letters, digits and hyphens",
  },
  { type: "email", name: "adminEmail", label: "Admin email", required: true },
  { type: "url", name: "website", label: "Website" },
  { type: "number", name: "seats", label: "Seats", min: 1, max: 50 },
  { type: "number", name: "ratio", label: "Ratio", integer: false, max: 1 },
  {
    type: "select",
    name: "region",
    label: "Region",
    required: true,
    default: "eu",
    options: [
      { value: "eu", label: "Europe" },
      { value: "us", label: "United States" },
    ],
  },
  { type: "select", name: "tier", label: "Tier", options: [{ value: "a", label: "A" }] },
  { type: "checkbox", name: "newsletter", label: "Newsletter" },
  { type: "checkbox", name: "dpa", label: "Data processing agreement", required: true },
] satisfies AccountFieldInput[]);

const schema = accountConfigSchema(fields);
const valid = { companyName: " Fabrikam ", adminEmail: "it@fabrikam.example", dpa: "on", acceptTerms: "on" };

function errorFor(values: Record<string, unknown>, field: string) {
  const parsed = schema.safeParse({ ...valid, ...values });
  expect(parsed.success, `${field} should be refused`).toBe(false);
  return parsed.error?.issues.find((issue) => issue.path[0] === field)?.message;
}

describe("account configuration schema from catalog fields", () => {
  it("turns what a form posts into typed values, omitting optional fields left empty", () => {
    const parsed = schema.parse({
      ...valid,
      subdomain: "",
      website: "",
      seats: " 12 ",
      ratio: "0.5",
      newsletter: undefined,
    });
    expect(parsed).toEqual({
      companyName: "Fabrikam",
      adminEmail: "it@fabrikam.example",
      seats: 12,
      ratio: 0.5,
      region: "eu",
      newsletter: false,
      dpa: true,
      acceptTerms: true,
    });
  });

  it("accepts typed values as well as form strings", () => {
    expect(schema.parse({ ...valid, seats: 3, newsletter: true, dpa: true, acceptTerms: true })).toMatchObject({
      seats: 3,
      newsletter: true,
    });
  });

  it("drops keys that are not fields", () => {
    expect(schema.parse({ ...valid, isAdmin: "yes" })).not.toHaveProperty("isAdmin");
  });

  it.each([
    ["companyName", "", "Company name is required"],
    ["companyName", "   ", "Company name is required"],
    ["companyName", "x".repeat(21), "at most 20 characters"],
    ["companyName", "<b>Fabrikam</b>", "not allowed"],
    ["companyName", { $ne: "" }, "must be text"],
    ["subdomain", "ab", "at least 3 characters"],
    ["subdomain", "Fabrikam", "Use lower-case letters"],
    ["subdomain", "fab rikam", "Use lower-case letters"],
    ["adminEmail", "not-an-email", "valid email address for admin email"],
    ["adminEmail", undefined, "Admin email is required"],
    ["website", "javascript:alert(1)", "web address"],
    ["website", "fabrikam.example", "web address"],
    ["seats", "0", "at least 1"],
    ["seats", "51", "at most 50"],
    ["seats", "2.5", "whole number"],
    ["seats", "twelve", "must be a number"],
    ["ratio", "1.5", "at most 1"],
    ["region", "mars", "Choose one of the listed options"],
    ["tier", "b", "Choose one of the listed options"],
    ["newsletter", "yes please", "tick the box"],
    ["dpa", undefined, "must be ticked"],
    ["acceptTerms", undefined, "accept the terms"],
    ["acceptTerms", "off", "accept the terms"],
  ])("refuses %s = %j with a reason", (field, value, message) => {
    expect(errorFor({ [field]: value }, field)).toContain(message);
  });

  it("refuses an empty required select that has no default", () => {
    const noDefault = accountFieldListSchema.parse([
      { type: "select", name: "region", label: "Region", required: true, options: [{ value: "eu", label: "EU" }] },
    ]);
    const parsed = accountConfigSchema(noDefault).safeParse({ region: "", acceptTerms: "on" });
    expect(parsed.error?.issues[0]).toMatchObject({ path: ["region"], message: "Region is required" });
  });

  it("keeps the portal's original form for offers without fields", () => {
    const parsed = accountConfigSchema(defaultAccountFields).safeParse({
      companyName: "Fabrikam, Inc.",
      contactName: "Alice Admin",
      contactEmail: "alice@fabrikam.example",
      phone: "+1 (425) 555-0100",
      country: "US",
      seatsExpected: "25",
      acceptTerms: "on",
    });
    expect(parsed.success && parsed.data).toMatchObject({ country: "US", seatsExpected: 25 });
    const wrong = accountConfigSchema(defaultAccountFields).safeParse({
      phone: "call me",
      country: "Narnia",
      acceptTerms: "on",
    });
    const messages = Object.fromEntries(wrong.error?.issues.map((issue) => [issue.path[0], issue.message]) ?? []);
    expect(messages).toMatchObject({
      companyName: "Company name is required",
      contactEmail: "Contact email is required",
      phone: "Use digits, spaces and + ( ) - only",
      country: "Choose one of the listed options for country",
    });
  });

  it("reads a form's values for the fields and the terms box only", () => {
    const form = new FormData();
    form.set("companyName", "Fabrikam");
    form.set("dpa", "on");
    form.set("$ACTION_ID_1", "x");
    const values = accountFormValues(fields, form);
    expect(values).toMatchObject({ companyName: "Fabrikam", dpa: "on", newsletter: undefined, acceptTerms: undefined });
    expect(values).not.toHaveProperty("$ACTION_ID_1");
  });

  it("shows stored values as a person reads them", () => {
    const region = fields.find((f) => f.name === "region");
    expect(displayValue(region, "us")).toBe("United States");
    expect(displayValue(undefined, true)).toBe("Yes");
    expect(displayValue(undefined, undefined)).toBe("—");
    expect(displayValue(undefined, 12)).toBe("12");
  });
});
