import { describe, expect, it } from "vitest";
import { catalogs } from "@/messages";
import {
  accountConfigSchema,
  accountFieldListSchema,
  accountFormValues,
  displayValue,
  localizeAccountFields,
  possibleProblems,
  type AccountFieldInput,
} from "./account-fields";
import { defaultAccountFields } from "./default-account-fields";
import { accountFormProblemTexts } from "./problem-texts";

const catalogFields = accountFieldListSchema.parse([
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
const fields = localizeAccountFields(catalogFields, "en");
const texts = accountFormProblemTexts(fields, "en");
const schema = accountConfigSchema(fields, texts);
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
  ])("refuses %s = %j with a reason, one of the texts the form was given for the field", (field, value, message) => {
    const said = errorFor({ [field]: value }, field);
    expect(said).toContain(message);
    expect(field === "acceptTerms" ? [texts.acceptTerms] : Object.values(texts.fields[field] ?? {})).toContain(said);
  });

  it("refuses an empty required select that has no default", () => {
    const noDefault = localizeAccountFields(
      accountFieldListSchema.parse([
        { type: "select", name: "region", label: "Region", required: true, options: [{ value: "eu", label: "EU" }] },
      ]),
      "en",
    );
    const parsed = accountConfigSchema(noDefault, accountFormProblemTexts(noDefault, "en")).safeParse({
      region: "",
      acceptTerms: "on",
    });
    expect(parsed.error?.issues[0]).toMatchObject({ path: ["region"], message: "Region is required" });
  });

  it("keeps the portal's original form for offers without fields", () => {
    const original = localizeAccountFields(defaultAccountFields, "en");
    const originalSchema = accountConfigSchema(original, accountFormProblemTexts(original, "en"));
    const parsed = originalSchema.safeParse({
      companyName: "Fabrikam, Inc.",
      contactName: "Alice Admin",
      contactEmail: "alice@fabrikam.example",
      phone: "+1 (425) 555-0100",
      country: "US",
      seatsExpected: "25",
      acceptTerms: "on",
    });
    expect(parsed.success && parsed.data).toMatchObject({ country: "US", seatsExpected: 25 });
    const wrong = originalSchema.safeParse({
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

  it("shows stored values as a person reads them: an option by its label, yes/no, numbers, nothing", () => {
    const region = catalogFields.find((f) => f.name === "region");
    expect(displayValue(region, "us")).toEqual({ kind: "text", text: "United States" });
    expect(displayValue(region, "gone")).toEqual({ kind: "text", text: "gone" });
    expect(displayValue(undefined, true)).toEqual({ kind: "yes" });
    expect(displayValue(undefined, false)).toEqual({ kind: "no" });
    expect(displayValue(undefined, undefined)).toEqual({ kind: "empty" });
    expect(displayValue(undefined, "")).toEqual({ kind: "empty" });
    expect(displayValue(undefined, 12)).toEqual({ kind: "number", value: 12 });
  });

  it("has a text for every problem each field can have, and nothing else", () => {
    for (const field of fields)
      expect(Object.keys(texts.fields[field.name] ?? {}).sort(), field.name).toEqual(
        possibleProblems(field)
          .map(({ problem }) => problem)
          .sort(),
      );
    expect(texts.fields.seats).toEqual({
      notNumber: "Seats must be a number",
      notWhole: "Seats must be a whole number",
      tooSmall: "Seats must be at least 1",
      tooLarge: "Seats must be at most 50",
    });
  });
});

describe("the account form in the reader's language", () => {
  const bilingual = accountFieldListSchema.parse([
    {
      type: "text",
      name: "companyName",
      label: { en: "Company name", ja: "会社名" },
      required: true,
      helpText: { en: "As registered", ja: "登記上の名称" },
    },
    {
      type: "text",
      name: "subdomain",
      label: { en: "Workspace address" },
      pattern: "[a-z]+",
      patternMessage: { en: "Lower-case letters only", ja: "英小文字のみ使用できます" },
      placeholder: "fabrikam",
    },
    {
      type: "select",
      name: "region",
      label: "Region",
      options: [{ value: "jp", label: { en: "Japan East", ja: "東日本" } }],
    },
    { type: "number", name: "users", label: { en: "Users", ja: "ユーザー数" }, min: 1, max: 100_000 },
  ] satisfies AccountFieldInput[]);

  it("takes each text in the reader's language, else English; a plain string is for every language", () => {
    const [company, subdomain, region] = localizeAccountFields(bilingual, "ja");
    expect(company).toMatchObject({ label: "会社名", helpText: "登記上の名称" });
    expect(subdomain).toMatchObject({
      label: "Workspace address",
      patternMessage: "英小文字のみ使用できます",
      placeholder: "fabrikam",
    });
    expect(region).toMatchObject({ label: "Region", options: [{ value: "jp", label: "東日本" }] });
    expect(localizeAccountFields(bilingual, "en")[0]).toMatchObject({
      label: "Company name",
      helpText: "As registered",
    });
  });

  it("says each problem in Japanese, naming the field by its Japanese label and numbers as Japanese writes them", () => {
    const japanese = localizeAccountFields(bilingual, "ja");
    const problems = accountFormProblemTexts(japanese, "ja");
    const parsed = accountConfigSchema(japanese, problems).safeParse({ subdomain: "ABC", users: "200000" });
    const said = Object.fromEntries(parsed.error?.issues.map((issue) => [issue.path[0], issue.message]) ?? []);
    expect(said).toEqual({
      companyName: "「会社名」を入力してください",
      subdomain: "英小文字のみ使用できます",
      users: "「ユーザー数」には100,000以下の値を入力してください",
      acceptTerms: catalogs.ja.accountForm.problems.acceptTerms,
    });
  });

  it("refuses a per-language text without English, or in a language the portal does not have", () => {
    for (const label of [{ ja: "会社名" }, { en: "Company", fr: "Société" }, {}]) {
      const parsed = accountFieldListSchema.safeParse([{ type: "text", name: "companyName", label }]);
      expect(parsed.success, JSON.stringify(label)).toBe(false);
    }
  });

  it("names the portal's default fields and countries in every language", () => {
    const japanese = localizeAccountFields(defaultAccountFields, "ja");
    expect(japanese.map((field) => field.label)).toEqual([
      "会社名",
      "担当者名",
      "担当者のメールアドレス",
      "電話番号",
      "国/地域",
      "想定ユーザー数",
    ]);
    const country = japanese.find((field) => field.name === "country");
    expect(country?.type === "select" && country.options.find((option) => option.value === "JP")?.label).toBe("日本");
    const english = localizeAccountFields(defaultAccountFields, "en").find((field) => field.name === "country");
    expect(english?.type === "select" && english.options.map((option) => option.label).slice(0, 3)).toEqual([
      "United States",
      "United Kingdom",
      "Germany",
    ]);
  });
});
