/**
 * The offer catalog's file format (config/catalog.json; README "Offer catalog"): what the portal
 * knows about the ISV's offers that Microsoft's API does not say — names, links, the account
 * form, and the entitlements each plan gives. Parsed once at start-up; an error names the field.
 */
import { z } from "zod";
import { accountFieldListSchema } from "./account-fields";

const id = z
  .string()
  .min(1, "must not be empty")
  .max(50, "must be at most 50 characters")
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, "must be a marketplace id: letters, digits, . _ -");
const name = z.string().trim().min(1, "must not be empty").max(120, "must be at most 120 characters");
const webUrl = z.url({ protocol: /^https?$/, error: "must be an http:// or https:// URL" });
/** A logo: an https URL, or a path the portal serves from public/ (e.g. "/catalog/analytics.svg"). */
const logoUrl = z.union(
  [webUrl, z.string().regex(/^\/[\w\-./]+$/, "must be an https:// URL or a path under public/")],
  {
    error: "must be an https:// URL or a path under public/ such as /catalog/logo.svg",
  },
);

const featureKey = z
  .string()
  .regex(/^[A-Za-z][A-Za-z0-9_.-]{0,59}$/, "must start with a letter (letters, digits, _ . -)");

const planSchema = z
  .object({
    planId: id,
    /** Shown instead of Microsoft's plan name. */
    displayName: name.optional(),
    /** What the product enforces for this plan, e.g. { "reports": true, "maxProjects": 50 }. */
    features: z
      .record(
        featureKey,
        z.union([z.boolean(), z.number(), z.string().max(200)], { error: "must be true/false, a number or text" }),
      )
      .default({}),
    /** Units of each metered dimension included in the plan's price (dimension id → quantity). */
    includedQuantities: z.record(id, z.number().nonnegative("must be 0 or more")).default({}),
    /** Fields added to the offer's account form for this plan (one with the same name replaces the offer's). */
    accountFields: accountFieldListSchema.optional(),
  })
  .strict();

const offerSchema = z
  .object({
    offerId: id,
    displayName: name,
    description: z.string().trim().min(1).max(500, "must be at most 500 characters").optional(),
    logoUrl: logoUrl.optional(),
    termsUrl: webUrl.optional(),
    privacyUrl: webUrl.optional(),
    /** Where "Open <product>" leads; PRODUCT_URL when absent. */
    productUrl: webUrl.optional(),
    /** The `aud` of the offer's hand-off tokens, what the product checks (docs/decisions/0014); the product URL's origin when absent. */
    handoffAudience: z
      .string()
      .trim()
      .min(1, "must not be empty")
      .max(200, "must be at most 200 characters")
      .optional(),
    /** The account form; the portal's default fields when absent. */
    accountFields: accountFieldListSchema.optional(),
    plans: z.array(planSchema).default([]),
  })
  .strict()
  .superRefine((offer, context) => {
    const ids = offer.plans.map((plan) => plan.planId);
    ids.forEach((planId, index) => {
      if (ids.indexOf(planId) !== index)
        context.addIssue({ code: "custom", path: ["plans", index, "planId"], message: `"${planId}" is listed twice` });
    });
  });

export const catalogSchema = z
  .object({
    $schema: z.string().optional(),
    $comment: z.string().optional(),
    offers: z.array(offerSchema),
  })
  .strict()
  .superRefine((catalog, context) => {
    const ids = catalog.offers.map((offer) => offer.offerId);
    ids.forEach((offerId, index) => {
      if (ids.indexOf(offerId) !== index)
        context.addIssue({
          code: "custom",
          path: ["offers", index, "offerId"],
          message: `"${offerId}" is listed twice`,
        });
    });
  });

export type Catalog = z.output<typeof catalogSchema>;
export type CatalogOffer = Catalog["offers"][number];
export type CatalogPlan = CatalogOffer["plans"][number];

export class CatalogError extends Error {
  constructor(
    readonly source: string,
    readonly issues: string[],
  ) {
    super(
      `Invalid offer catalog (${source}):\n${issues.map((issue) => `  - ${issue}`).join("\n")}\nSee the README's "Offer catalog".`,
    );
    this.name = "CatalogError";
  }
}

/**
 * A path as a person finds it in the file: array positions named by the id they hold,
 * e.g. `offers[contoso-backup].plans[team-auto].features.maxProjects`.
 */
export function describePath(path: readonly PropertyKey[], input: unknown): string {
  let text = "";
  let node: unknown = input;
  for (const key of path) {
    const child = node !== null && typeof node === "object" ? (node as Record<PropertyKey, unknown>)[key] : undefined;
    if (typeof key === "number") {
      const named = child !== null && typeof child === "object" ? (child as Record<string, unknown>) : {};
      const label = [named.offerId, named.planId, named.name].find((value) => typeof value === "string" && value);
      text += `[${typeof label === "string" ? label : key}]`;
    } else text += `${text ? "." : ""}${String(key)}`;
    node = child;
  }
  return text || "(root)";
}

/** Parses a catalog file's text; throws a CatalogError naming every wrong field. */
export function parseCatalog(text: string, source: string): Catalog {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new CatalogError(source, [`not valid JSON: ${error instanceof Error ? error.message : String(error)}`]);
  }
  const parsed = catalogSchema.safeParse(json);
  if (!parsed.success)
    throw new CatalogError(
      source,
      parsed.error.issues.map((issue) => `${describePath(issue.path, json)}: ${issue.message}`),
    );
  return parsed.data;
}
