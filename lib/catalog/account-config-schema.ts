/**
 * The ONE schema that checks the values of an account configuration: in the browser before the
 * landing's form posts (app/(buyer)/landing/account-form.tsx) and on the server before they are
 * stored (lib/subscriptions/account-config.ts), for the catalog's fields (./account-fields.ts).
 *
 * Written with `zod/mini`, zod's tree-shakable build with the same parser: the browser gets only
 * the parts used here instead of the whole library (about 30 kB gzip of the landing page's
 * first-load JavaScript; `node --import tsx bench/first-load-js.ts`). The catalog's own schema
 * (./account-fields.ts) stays on classic zod: it runs on the server only.
 * No server-only imports: client components use it.
 */
import * as z from "zod/mini";
import type { AccountField } from "./account-fields";

// In the browser (the only zod there), zod must not probe for `new Function`: the pages'
// Content-Security-Policy has no 'unsafe-eval' (proxy.ts) and reports the probe as a violation.
// Never on the server, where the setting would slow every object schema of the process.
if (typeof window !== "undefined") z.config({ jitless: true });

/** The value stored for each field (an optional field left empty is absent). */
export type AccountConfigValue = string | number | boolean;
export type AccountConfig = Record<string, AccountConfigValue> & { acceptTerms: true };

/** What can be wrong with a value; each is said in the reader's language (messages: accountForm.problems). */
export type FieldProblem =
  | "required"
  | "mustTick"
  | "notText"
  | "tooShort"
  | "tooLong"
  | "forbiddenCharacters"
  | "pattern"
  | "email"
  | "url"
  | "notNumber"
  | "notWhole"
  | "tooSmall"
  | "tooLarge"
  | "checkbox"
  | "chooseOption";

/**
 * The words for every problem the form's fields can have, already in the reader's language and
 * naming the field (built on the server by ./problem-texts.ts, handed to the form as plain strings).
 */
export interface AccountFormProblemTexts {
  fields: Record<string, Partial<Record<FieldProblem, string>>>;
  acceptTerms: string;
}

/** The longest value a field takes. */
export const maxLengthOf = (field: Extract<AccountField, { type: "text" | "email" | "url" }>) =>
  field.type === "email" ? 254 : field.type === "url" ? 2000 : field.maxLength;

/** Every problem the schema can find with this field, with the bound its message names. */
export function possibleProblems(field: AccountField): { problem: FieldProblem; min?: number; max?: number }[] {
  switch (field.type) {
    case "checkbox":
      return [{ problem: "checkbox" }, ...(field.required ? [{ problem: "mustTick" as const }] : [])];
    case "select":
      return [...(field.required ? [{ problem: "required" as const }] : []), { problem: "chooseOption" }];
    case "number":
      return [
        ...(field.required ? [{ problem: "required" as const }] : []),
        { problem: "notNumber" },
        ...(field.integer ? [{ problem: "notWhole" as const }] : []),
        ...(field.min !== undefined ? [{ problem: "tooSmall" as const, min: field.min }] : []),
        ...(field.max !== undefined ? [{ problem: "tooLarge" as const, max: field.max }] : []),
      ];
    default:
      return [
        ...(field.required ? [{ problem: "required" as const }] : []),
        { problem: "notText" },
        { problem: "tooLong", max: maxLengthOf(field) },
        ...(field.type === "text"
          ? [
              ...(field.minLength ? [{ problem: "tooShort" as const, min: field.minLength }] : []),
              { problem: "forbiddenCharacters" as const },
              ...(field.pattern ? [{ problem: "pattern" as const }] : []),
            ]
          : [{ problem: field.type }]),
      ];
  }
}

type Say = (problem: FieldProblem) => string;

// eslint-disable-next-line no-control-regex -- matching control characters is the point
const forbiddenCharacters = /[\u0000-\u001f\u007f<>]/;

/** "" and missing mean "not given"; a browser sends "" for an empty input. */
const blankToUndefined = (value: unknown) =>
  value === undefined || value === null || (typeof value === "string" && value.trim() === "") ? undefined : value;

function textSchema(field: Extract<AccountField, { type: "text" | "email" | "url" }>, say: Say) {
  const checks: z.core.$ZodCheck<string>[] = [z.trim(), z.maxLength(maxLengthOf(field), say("tooLong"))];
  if (field.type === "text") {
    if (field.minLength) checks.push(z.minLength(field.minLength, say("tooShort")));
    checks.push(z.refine((value: string) => !forbiddenCharacters.test(value), say("forbiddenCharacters")));
    if (field.pattern) {
      const expression = new RegExp(`^(?:${field.pattern})$`, "u");
      checks.push(z.refine((value: string) => expression.test(value), say("pattern")));
    }
  }
  const schema = z.string({ error: say("notText") }).check(...checks);
  if (field.type === "text") return schema;
  if (field.type === "email") return z.pipe(schema, z.email(say("email")));
  return z.pipe(schema, z.url({ protocol: /^https?$/, hostname: z.regexes.domain, error: say("url") }));
}

function numberSchema(field: Extract<AccountField, { type: "number" }>, say: Say) {
  const checks: z.core.$ZodCheck<number>[] = [];
  if (field.integer) checks.push(z.int(say("notWhole")));
  if (field.min !== undefined) checks.push(z.gte(field.min, say("tooSmall")));
  if (field.max !== undefined) checks.push(z.lte(field.max, say("tooLarge")));
  const schema = z.number({ error: say("notNumber") }).check(...checks);
  // A form posts text: a number written plainly becomes that number, anything else stays text (and fails).
  const toNumber = z.transform((value: unknown) => {
    if (typeof value !== "string") return value;
    const text = value.trim();
    return /^[+-]?(\d+\.?\d*|\.\d+)$/.test(text) ? Number(text) : value;
  });
  return z.pipe(toNumber, schema);
}

/** The rules for a value that was given (not blank). */
function valueSchema(field: AccountField, say: Say): z.ZodMiniType<AccountConfigValue> {
  switch (field.type) {
    case "checkbox":
      // A browser sends "on" for a checked box and nothing for an unchecked one.
      return z.pipe(
        z.union([z.literal("on"), z.literal("true"), z.literal("false"), z.boolean()], { error: say("checkbox") }),
        z.transform((value) => value === "on" || value === "true" || value === true),
      );
    case "select": {
      const values = field.options.map((option) => option.value);
      return z
        .string({ error: say("chooseOption") })
        .check(z.refine((value: string) => values.includes(value), say("chooseOption")));
    }
    case "number":
      return numberSchema(field, say);
    default:
      return textSchema(field, say);
  }
}

const termsSchema = z.union([z.literal("on"), z.literal("true"), z.literal(true)]);

/**
 * The one schema for an account configuration: each field by its type and rules, plus the terms
 * acceptance. Accepts what a form posts (strings, "on") and typed values; answers typed values,
 * with optional fields left empty omitted. Keys that are not fields are dropped. Each problem is
 * an issue whose path is the field's name and whose message is the reader's text for it
 * (z.flattenError gives the form's messages); a problem without a text is named by the field's label.
 */
export function accountConfigSchema(fields: readonly AccountField[], texts: AccountFormProblemTexts) {
  const rules = fields.map((field) => {
    const say: Say = (problem) => texts.fields[field.name]?.[problem] ?? field.label;
    return { field, say, schema: valueSchema(field, say) };
  });
  const record = z.record(z.string(), z.unknown(), { error: texts.acceptTerms });
  return z.pipe(
    record,
    z.transform((input: Record<string, unknown>, context): AccountConfig => {
      const config: Record<string, AccountConfigValue> = {};
      for (const { field, say, schema } of rules) {
        const given = blankToUndefined(input[field.name]);
        // A required select with a default takes it when nothing was chosen; an unticked box is "no".
        const value = given ?? (field.type === "select" && field.required ? field.default : undefined);
        if (value === undefined) {
          if (field.type === "checkbox") {
            if (field.required)
              context.issues.push({ code: "custom", path: [field.name], message: say("mustTick"), input: given });
            else config[field.name] = false;
          } else if (field.required) {
            context.issues.push({ code: "custom", path: [field.name], message: say("required"), input: given });
          }
          continue;
        }
        const parsed = schema.safeParse(value);
        if (!parsed.success) {
          for (const issue of parsed.error.issues)
            context.issues.push({
              code: "custom",
              path: [field.name, ...issue.path],
              message: issue.message,
              input: value,
            });
          continue;
        }
        if (field.type === "checkbox" && field.required && parsed.data !== true) {
          context.issues.push({ code: "custom", path: [field.name], message: say("mustTick"), input: given });
          continue;
        }
        config[field.name] = parsed.data;
      }
      if (!termsSchema.safeParse(input.acceptTerms).success)
        context.issues.push({ code: "custom", path: ["acceptTerms"], message: texts.acceptTerms, input });
      return { ...config, acceptTerms: true };
    }),
  );
}

/** The names a form posts for these fields (the terms box included). */
export const formFieldNames = (fields: readonly { name: string }[]) => [
  ...fields.map((field) => field.name),
  "acceptTerms",
];

/** Reads a form's values for these fields (checkboxes: "on" or absent). */
export function accountFormValues(
  fields: readonly { name: string }[],
  formData: FormData,
): Record<string, string | undefined> {
  return Object.fromEntries(
    formFieldNames(fields).map((name) => {
      const value = formData.get(name);
      return [name, typeof value === "string" ? value : undefined];
    }),
  );
}

/**
 * The browser's check of the account form: the form's values through accountConfigSchema, and
 * per field the messages to show, or undefined when everything fits (the form then posts).
 */
export function accountFormCheck(fields: readonly AccountField[], texts: AccountFormProblemTexts) {
  const schema = accountConfigSchema(fields, texts);
  return (formData: FormData): Record<string, string[]> | undefined => {
    const parsed = schema.safeParse(accountFormValues(fields, formData));
    return parsed.success ? undefined : (z.flattenError(parsed.error).fieldErrors as Record<string, string[]>);
  };
}
