/**
 * The account-configuration fields a buyer fills in on the landing and setup pages, as the offer
 * catalog defines them (config/catalog.json). The ONE schema that validates the values (in the
 * browser before the form posts and on the server before they are stored) is in
 * ./account-config-schema.ts, on `zod/mini` so the browser gets little of zod; it is re-exported
 * here. The catalog's texts may be given per language (./localized-text.ts); the form works on
 * fields localized for the reader (`localizeAccountFields`), and says each problem in the reader's
 * language with texts built on the server (./problem-texts.ts).
 * Server code only imports this file's values (the catalog's schema is full zod): client
 * components import ./account-config-schema.ts, and types from here.
 */
import { z } from "zod";
import type { Locale } from "@/lib/i18n/locales";
import { localize, localizedTextSchema, type LocalizedText } from "./localized-text";

export {
  accountConfigSchema,
  accountFormValues,
  formFieldNames,
  maxLengthOf,
  possibleProblems,
  type AccountConfig,
  type AccountConfigValue,
  type AccountFormProblemTexts,
  type FieldProblem,
} from "./account-config-schema";

/** Names the portal uses itself: a catalog field may not take them. */
export const reservedFieldNames = ["acceptTerms", "subscriptionId"] as const;

const fieldName = z
  .string()
  .regex(/^[A-Za-z][A-Za-z0-9_]{0,39}$/, "must start with a letter and use letters, digits and _ (at most 40)")
  .refine((name) => !(reservedFieldNames as readonly string[]).includes(name), "is reserved by the portal");

const label = localizedTextSchema(
  z.string().trim().min(1, "must not be empty").max(120, "must be at most 120 characters"),
);
const helpText = localizedTextSchema(z.string().trim().min(1).max(300, "must be at most 300 characters")).optional();
const placeholder = localizedTextSchema(z.string().max(120)).optional();

/** A regular expression the whole value must match (anchored for you), checked when the catalog loads. */
const pattern = z.string().refine((source) => {
  try {
    new RegExp(`^(?:${source})$`, "u");
    return true;
  } catch {
    return false;
  }
}, "must be a valid regular expression");

const common = {
  name: fieldName,
  label,
  helpText,
  required: z.boolean().default(false),
};

const textField = z
  .object({
    type: z.literal("text"),
    ...common,
    minLength: z.number().int().min(0).optional(),
    maxLength: z.number().int().min(1).max(2000).default(200),
    pattern: pattern.optional(),
    /** Said when the value does not match `pattern`, e.g. "Use lower-case letters, digits and -". */
    patternMessage: localizedTextSchema(z.string().trim().min(1).max(200)).optional(),
    placeholder,
    /** An HTML autocomplete token, e.g. "organization", "name". */
    autoComplete: z.string().max(60).optional(),
    default: z.string().max(2000).optional(),
  })
  .strict();

const emailField = z
  .object({
    type: z.literal("email"),
    ...common,
    placeholder,
    autoComplete: z.string().max(60).optional(),
    default: z.string().max(254).optional(),
  })
  .strict();

const urlField = z
  .object({
    type: z.literal("url"),
    ...common,
    placeholder,
    default: z.string().max(2000).optional(),
  })
  .strict();

const numberField = z
  .object({
    type: z.literal("number"),
    ...common,
    min: z.number().optional(),
    max: z.number().optional(),
    /** Whole numbers only. */
    integer: z.boolean().default(true),
    default: z.number().optional(),
  })
  .strict();

const selectField = z
  .object({
    type: z.literal("select"),
    ...common,
    options: z
      .array(z.object({ value: z.string().min(1).max(100), label }).strict())
      .min(1, "must list at least one option"),
    /** Preselected; a required select with a default accepts a missing value as the default. */
    default: z.string().optional(),
  })
  .strict();

const checkboxField = z
  .object({
    type: z.literal("checkbox"),
    ...common,
    default: z.boolean().optional(),
  })
  .strict();

export const accountFieldSchema = z
  .discriminatedUnion("type", [textField, emailField, urlField, numberField, selectField, checkboxField], {
    error: "must have a type: text, email, url, number, select or checkbox",
  })
  .superRefine((field, context) => {
    if (field.type === "number" && field.min !== undefined && field.max !== undefined && field.min > field.max)
      context.addIssue({ code: "custom", path: ["max"], message: "must not be less than min" });
    if (field.type === "text" && field.minLength !== undefined && field.minLength > field.maxLength)
      context.addIssue({ code: "custom", path: ["minLength"], message: "must not be more than maxLength" });
    if (field.type === "select") {
      const values = field.options.map((option) => option.value);
      const repeated = values.find((value, index) => values.indexOf(value) !== index);
      if (repeated) context.addIssue({ code: "custom", path: ["options"], message: `lists "${repeated}" twice` });
      if (field.default !== undefined && !values.includes(field.default))
        context.addIssue({ code: "custom", path: ["default"], message: "must be one of the options' values" });
    }
  });

/** A field as the catalog defines it: its texts possibly per language. */
export type CatalogAccountField = z.output<typeof accountFieldSchema>;
export type AccountFieldInput = z.input<typeof accountFieldSchema>;
export type AccountFieldType = CatalogAccountField["type"];

/** The catalog's texts (a string, or one per language) as the one string a reader gets. */
type Localized<T> = T extends string
  ? T
  : T extends { en: string }
    ? string
    : T extends readonly (infer Item)[]
      ? Localized<Item>[]
      : T extends object
        ? { [K in keyof T]: Localized<T[K]> }
        : T;

/** A field as a reader sees it: the catalog's field with its texts in the reader's language. */
export type AccountField = Localized<CatalogAccountField>;

/** The fields with their label, help text, placeholder, pattern message and option labels in this language. */
export function localizeAccountFields(fields: readonly CatalogAccountField[], locale: Locale): AccountField[] {
  return fields.map((field) => {
    const localized: Record<string, unknown> = { ...field };
    for (const key of ["label", "helpText", "placeholder", "patternMessage"] as const) {
      const text = (field as Partial<Record<typeof key, LocalizedText>>)[key];
      if (text !== undefined) localized[key] = localize(text, locale);
    }
    if (field.type === "select")
      localized.options = field.options.map((option) => ({ ...option, label: localize(option.label, locale) }));
    return localized as AccountField;
  });
}

/** A list of fields with unique names. */
export const accountFieldListSchema = z.array(accountFieldSchema).superRefine((fields, context) => {
  const names = fields.map((field) => field.name);
  names.forEach((name, index) => {
    if (names.indexOf(name) !== index)
      context.addIssue({ code: "custom", path: [index, "name"], message: `"${name}" is used by another field` });
  });
});

/** A stored value as a person reads it, for the page to put in words: yes/no, a number, an option's label, text. */
export type DisplayValue =
  | { kind: "empty" }
  | { kind: "yes" }
  | { kind: "no" }
  | { kind: "number"; value: number }
  | { kind: "text"; text: LocalizedText };

export function displayValue(field: CatalogAccountField | undefined, value: unknown): DisplayValue {
  if (value === undefined || value === null || value === "") return { kind: "empty" };
  if (typeof value === "boolean") return { kind: value ? "yes" : "no" };
  if (typeof value === "number") return { kind: "number", value };
  if (typeof value === "string")
    return {
      kind: "text",
      text: field?.type === "select" ? (field.options.find((option) => option.value === value)?.label ?? value) : value,
    };
  return { kind: "text", text: JSON.stringify(value) };
}
