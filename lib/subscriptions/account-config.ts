/**
 * The account configuration a buyer fills in on the landing page. The same schema validates the
 * form in the browser and the server action (no server-only imports here).
 */
import { z } from "zod";

const singleLine = (label: string, max: number) =>
  z
    .string()
    .trim()
    .min(1, `${label} is required`)
    .max(max, `${label} must be at most ${max} characters`)
    // eslint-disable-next-line no-control-regex -- matching control characters is the point
    .refine((value) => !/[\u0000-\u001f\u007f<>]/.test(value), `${label} contains characters that are not allowed`);

export const accountConfigSchema = z.object({
  companyName: singleLine("Company name", 120),
  contactName: singleLine("Contact name", 120),
  contactEmail: z
    .string()
    .trim()
    .max(254, "Email must be at most 254 characters")
    .pipe(z.email("Enter a valid email address, like name@company.com")),
  phone: z
    .string()
    .trim()
    .max(40)
    .regex(/^[+()\d\s.-]*$/, "Use digits, spaces and + ( ) - only")
    .optional()
    .or(z.literal("")),
  country: z
    .string()
    .trim()
    .regex(/^[A-Z]{2}$/, "Choose a country")
    .optional()
    .or(z.literal("")),
  seatsExpected: z
    .string()
    .trim()
    .regex(/^\d{0,6}$/, "Enter a whole number")
    .optional()
    .or(z.literal("")),
  acceptTerms: z.literal("on", { error: "Please accept the terms of service to continue" }),
});

export type AccountConfigInput = z.input<typeof accountConfigSchema>;
export type AccountConfig = z.output<typeof accountConfigSchema>;

export const accountFields = [
  "companyName",
  "contactName",
  "contactEmail",
  "phone",
  "country",
  "seatsExpected",
  "acceptTerms",
] as const;

export function parseAccountConfig(values: Record<string, unknown>) {
  return accountConfigSchema.safeParse(values);
}

export const countries: ReadonlyArray<readonly [string, string]> = [
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
];
