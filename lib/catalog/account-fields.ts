/**
 * The account-configuration fields a buyer fills in on the landing and setup pages, as the offer
 * catalog defines them (config/catalog.json), and the ONE schema that validates the values: in the
 * browser before the form posts and on the server before they are stored (lib/subscriptions).
 * No server-only imports: client components use it.
 */
import { z } from "zod";

/** Names the portal uses itself: a catalog field may not take them. */
export const reservedFieldNames = ["acceptTerms", "subscriptionId"] as const;

const fieldName = z
  .string()
  .regex(/^[A-Za-z][A-Za-z0-9_]{0,39}$/, "must start with a letter and use letters, digits and _ (at most 40)")
  .refine((name) => !(reservedFieldNames as readonly string[]).includes(name), "is reserved by the portal");

const label = z.string().trim().min(1, "must not be empty").max(120, "must be at most 120 characters");
const helpText = z.string().trim().min(1).max(300, "must be at most 300 characters").optional();

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
    patternMessage: z.string().trim().min(1).max(200).optional(),
    placeholder: z.string().max(120).optional(),
    /** An HTML autocomplete token, e.g. "organization", "name". */
    autoComplete: z.string().max(60).optional(),
    default: z.string().max(2000).optional(),
  })
  .strict();

const emailField = z
  .object({
    type: z.literal("email"),
    ...common,
    placeholder: z.string().max(120).optional(),
    autoComplete: z.string().max(60).optional(),
    default: z.string().max(254).optional(),
  })
  .strict();

const urlField = z
  .object({
    type: z.literal("url"),
    ...common,
    placeholder: z.string().max(120).optional(),
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

export type AccountField = z.output<typeof accountFieldSchema>;
export type AccountFieldInput = z.input<typeof accountFieldSchema>;
export type AccountFieldType = AccountField["type"];

/** A list of fields with unique names. */
export const accountFieldListSchema = z.array(accountFieldSchema).superRefine((fields, context) => {
  const names = fields.map((field) => field.name);
  names.forEach((name, index) => {
    if (names.indexOf(name) !== index)
      context.addIssue({ code: "custom", path: [index, "name"], message: `"${name}" is used by another field` });
  });
});

/** The fields of an offer that is not in the catalog (or lists none): the portal's original form. */
export const defaultAccountFields: readonly AccountField[] = accountFieldListSchema.parse([
  {
    type: "text",
    name: "companyName",
    label: "Company name",
    required: true,
    maxLength: 120,
    autoComplete: "organization",
  },
  { type: "text", name: "contactName", label: "Contact name", required: true, maxLength: 120, autoComplete: "name" },
  {
    type: "email",
    name: "contactEmail",
    label: "Contact email",
    required: true,
    autoComplete: "email",
    helpText: "Where we send onboarding and billing notices.",
  },
  {
    type: "text",
    name: "phone",
    label: "Phone",
    maxLength: 40,
    autoComplete: "tel",
    pattern: "[+()\\d\\s.-]*",
    patternMessage: "Use digits, spaces and + ( ) - only",
  },
  {
    type: "select",
    name: "country",
    label: "Country",
    options: [
      ["US", "United States"],
      ["GB", "United Kingdom"],
      ["DE", "Germany"],
      ["FR", "France"],
      ["NL", "Netherlands"],
      ["IE", "Ireland"],
      ["ES", "Spain"],
      ["IT", "Italy"],
      ["SE", "Sweden"],
      ["CH", "Switzerland"],
      ["CA", "Canada"],
      ["AU", "Australia"],
      ["JP", "Japan"],
      ["IN", "India"],
      ["BR", "Brazil"],
      ["SG", "Singapore"],
    ].map(([value, label]) => ({ value, label })),
  },
  { type: "number", name: "seatsExpected", label: "Expected number of users", min: 0, max: 999_999 },
]);

/** The value stored for each field (an optional field left empty is absent). */
export type AccountConfigValue = string | number | boolean;
export type AccountConfig = Record<string, AccountConfigValue> & { acceptTerms: true };

// eslint-disable-next-line no-control-regex -- matching control characters is the point
const forbiddenCharacters = /[\u0000-\u001f\u007f<>]/;

/** "" and missing mean "not given"; a browser sends "" for an empty input. */
const blankToUndefined = (value: unknown) =>
  value === undefined || value === null || (typeof value === "string" && value.trim() === "") ? undefined : value;

function textSchema(field: Extract<AccountField, { type: "text" | "email" | "url" }>) {
  const max = field.type === "email" ? 254 : field.type === "url" ? 2000 : field.maxLength;
  let schema = z
    .string({ error: `${field.label} must be text` })
    .trim()
    .max(max, `${field.label} must be at most ${max} characters`);
  if (field.type === "text") {
    if (field.minLength)
      schema = schema.min(field.minLength, `${field.label} must be at least ${field.minLength} characters`);
    schema = schema.refine(
      (value) => !forbiddenCharacters.test(value),
      `${field.label} contains characters that are not allowed`,
    );
    if (field.pattern) {
      const expression = new RegExp(`^(?:${field.pattern})$`, "u");
      schema = schema.refine(
        (value) => expression.test(value),
        field.patternMessage ?? `${field.label} is not in the expected format`,
      );
    }
    return schema;
  }
  if (field.type === "email")
    return schema.pipe(z.email(`Enter a valid email address for ${field.label.toLowerCase()}, like name@company.com`));
  return schema.pipe(
    z.url({
      protocol: /^https?$/,
      hostname: z.regexes.domain,
      error: `${field.label} must be a web address starting with https://`,
    }),
  );
}

function numberSchema(field: Extract<AccountField, { type: "number" }>) {
  let schema = z.number({ error: `${field.label} must be a number` });
  if (field.integer) schema = schema.int(`${field.label} must be a whole number`);
  if (field.min !== undefined) schema = schema.min(field.min, `${field.label} must be at least ${field.min}`);
  if (field.max !== undefined) schema = schema.max(field.max, `${field.label} must be at most ${field.max}`);
  return z.preprocess((value) => {
    if (typeof value !== "string") return value;
    const text = value.trim();
    return /^[+-]?(\d+\.?\d*|\.\d+)$/.test(text) ? Number(text) : value;
  }, schema);
}

/** The rules for a value that was given (not blank). */
function valueSchema(field: AccountField): z.ZodType<AccountConfigValue> {
  switch (field.type) {
    case "checkbox":
      // A browser sends "on" for a checked box and nothing for an unchecked one.
      return z
        .union([z.literal("on"), z.literal("true"), z.literal("false"), z.boolean()], {
          error: `${field.label}: tick the box or leave it`,
        })
        .transform((value) => value === "on" || value === "true" || value === true);
    case "select": {
      const values = field.options.map((option) => option.value);
      return z
        .string({ error: `Choose ${field.label.toLowerCase()}` })
        .refine((value) => values.includes(value), `Choose one of the listed options for ${field.label.toLowerCase()}`);
    }
    case "number":
      return numberSchema(field);
    default:
      return textSchema(field);
  }
}

const termsSchema = z.union([z.literal("on"), z.literal("true"), z.literal(true)], {
  error: "Please accept the terms of service to continue",
});

/**
 * The one schema for an account configuration: each field by its type and rules, plus the terms
 * acceptance. Accepts what a form posts (strings, "on") and typed values; answers typed values,
 * with optional fields left empty omitted. Keys that are not fields are dropped. Each problem is
 * an issue whose path is the field's name (z.flattenError gives the form's messages).
 */
export function accountConfigSchema(fields: readonly AccountField[]) {
  const rules = fields.map((field) => ({ field, schema: valueSchema(field) }));
  return z
    .record(z.string(), z.unknown(), { error: "The form's values are missing" })
    .transform((input, context): AccountConfig => {
      const config: Record<string, AccountConfigValue> = {};
      for (const { field, schema } of rules) {
        const given = blankToUndefined(input[field.name]);
        // A required select with a default takes it when nothing was chosen; an unticked box is "no".
        const value = given ?? (field.type === "select" && field.required ? field.default : undefined);
        if (value === undefined) {
          if (field.type === "checkbox") {
            if (field.required)
              context.addIssue({
                code: "custom",
                path: [field.name],
                message: `${field.label} must be ticked to continue`,
              });
            else config[field.name] = false;
          } else if (field.required) {
            context.addIssue({ code: "custom", path: [field.name], message: `${field.label} is required` });
          }
          continue;
        }
        const parsed = schema.safeParse(value);
        if (!parsed.success) {
          for (const issue of parsed.error.issues)
            context.addIssue({ code: "custom", path: [field.name, ...issue.path], message: issue.message });
          continue;
        }
        if (field.type === "checkbox" && field.required && parsed.data !== true) {
          context.addIssue({
            code: "custom",
            path: [field.name],
            message: `${field.label} must be ticked to continue`,
          });
          continue;
        }
        config[field.name] = parsed.data;
      }
      if (!termsSchema.safeParse(input.acceptTerms).success)
        context.addIssue({
          code: "custom",
          path: ["acceptTerms"],
          message: "Please accept the terms of service to continue",
        });
      return { ...config, acceptTerms: true };
    });
}

/** The names a form posts for these fields (the terms box included). */
export const formFieldNames = (fields: readonly AccountField[]) => [
  ...fields.map((field) => field.name),
  "acceptTerms",
];

/** Reads a form's values for these fields (checkboxes: "on" or absent). */
export function accountFormValues(
  fields: readonly AccountField[],
  formData: FormData,
): Record<string, string | undefined> {
  return Object.fromEntries(
    formFieldNames(fields).map((name) => {
      const value = formData.get(name);
      return [name, typeof value === "string" ? value : undefined];
    }),
  );
}

/** A stored value as a person reads it ("Yes"/"No", an option's label). */
export function displayValue(field: AccountField | undefined, value: unknown): string {
  if (value === undefined || value === null || value === "") return "—";
  if (typeof value === "boolean") return value ? "Yes" : "No";
  if (typeof value === "number") return String(value);
  if (typeof value === "string")
    return field?.type === "select" ? (field.options.find((option) => option.value === value)?.label ?? value) : value;
  return JSON.stringify(value);
}
