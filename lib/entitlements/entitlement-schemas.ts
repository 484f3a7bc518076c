/**
 * The entitlements API's contract in zod: the answers (typed for the code that builds them, and
 * turned into the OpenAPI document's components by lib/entitlements/openapi.ts) and the inputs
 * (query and path parameters, checked before anything is read).
 */
import { z } from "zod";
import { ActivatedBy, SetupState, SubscriptionStatus } from "../generated/prisma/enums";

/** The schemas that become `#/components/schemas/<id>` in the OpenAPI document. */
export const apiComponents = z.registry<{ id: string }>();

const guid = (what: string) => z.guid().describe(what);
const timestamp = (what: string) => z.iso.datetime({ offset: true }).describe(what);

export const offerSchema = z
  .object({
    id: z.string().describe("The offer id in Partner Center."),
    displayName: z.string().describe("The offer's name from the portal's catalog; the id when the catalog lacks it."),
  })
  .describe("The marketplace offer the subscription is for.")
  .register(apiComponents, { id: "Offer" });

export const planSchema = z
  .object({
    id: z.string().describe("The plan id in Partner Center."),
    displayName: z.string().describe("The plan's name from the portal's catalog; the id when the catalog lacks it."),
  })
  .describe("The plan the subscription is on now.")
  .register(apiComponents, { id: "Plan" });

export const termSchema = z
  .object({
    unit: z
      .string()
      .nullable()
      .describe("Microsoft's term unit as sent: an ISO 8601 duration such as P1M or P1Y, or another value (open)."),
    chargeDuration: z
      .string()
      .nullable()
      .describe("How often the term is charged, as Microsoft sent it (open; often absent)."),
    startDate: timestamp("Start of the current term.").nullable(),
    endDate: timestamp("End of the current term.").nullable(),
  })
  .describe("The subscription's current term.")
  .register(apiComponents, { id: "Term" });

export const featureValueSchema = z.union([z.boolean(), z.number(), z.string()]);

export const entitlementSchema = z
  .object({
    subscriptionId: guid("The marketplace subscription id."),
    name: z.string().describe("The subscription's name, as the customer gave it at purchase."),
    status: z
      .enum(SubscriptionStatus)
      .describe(
        "Microsoft's subscription status as the portal last confirmed it. Serve the product while `Subscribed`; " +
          "`Suspended` means payment trouble, `Unsubscribed` is final; `PendingFulfillmentStart` and `NotStarted` are not live yet.",
      ),
    setupState: z
      .enum(SetupState)
      .describe("`complete` once the customer saved the account configuration on a live subscription."),
    activatedBy: z
      .enum(ActivatedBy)
      .nullable()
      .describe(
        "Who made it live: the portal's activation, or Microsoft at purchase (auto-activated plan); null while not live.",
      ),
    offer: offerSchema,
    plan: planSchema,
    seats: z
      .int()
      .min(0)
      .nullable()
      .describe("Number of seats (Microsoft's quantity) for per-seat plans; null for plans not sold per seat."),
    features: z
      .record(z.string(), featureValueSchema)
      .describe(
        'What the plan entitles to, from the portal\'s catalog, e.g. {"reports": true, "maxProjects": 50}; empty when the catalog lists none.',
      ),
    includedQuantities: z
      .record(z.string(), z.number())
      .describe("Metered dimension id → units included in the plan's price, from the catalog; empty when none."),
    term: termSchema,
    autoRenew: z.boolean().describe("Whether the subscription renews at the end of its term."),
    isTest: z.boolean().describe("A test purchase (Partner Center preview audience)."),
    isFreeTrial: z.boolean().describe("A free trial."),
    beneficiaryTenantId: guid("The Entra tenant that uses the subscription.").nullable(),
    purchaserTenantId: guid("The Entra tenant that bought it (a reseller's for a CSP purchase).").nullable(),
    updatedAt: timestamp("When the portal's record of the subscription last changed."),
  })
  .describe("What one subscription entitles its customer to, as the portal knows it now.")
  .register(apiComponents, { id: "Entitlement" });
export type Entitlement = z.infer<typeof entitlementSchema>;

export const entitlementListSchema = z
  .object({
    entitlements: z.array(entitlementSchema).describe("In subscription id order."),
    nextCursor: z.string().nullable().describe("Pass as `cursor` to get the next page; null on the last page."),
  })
  .describe("The subscriptions of a tenant, one page at a time.")
  .register(apiComponents, { id: "EntitlementList" });
export type EntitlementList = z.infer<typeof entitlementListSchema>;

/** Why a request was refused: a closed set of codes, each with its HTTP status. */
export const apiRefusals = {
  invalid_request: 400, // a parameter is missing or malformed (`field` names it)
  unauthenticated: 401, // no key, a malformed, unknown or revoked key
  forbidden: 403, // the key lacks the entitlements:read scope
  not_found: 404, // unknown, or outside the key's offers/tenants: the same answer
  unavailable: 503, // the portal could not answer just now; retry
} as const;
export type ApiRefusalCode = keyof typeof apiRefusals;

export const apiErrorSchema = z
  .object({
    error: z.object({
      code: z.enum(Object.keys(apiRefusals) as [ApiRefusalCode, ...ApiRefusalCode[]]),
      message: z.string().describe("What went wrong and what to do, for a person."),
      field: z.string().optional().describe("The parameter at fault, for invalid_request."),
    }),
  })
  .describe("A refusal: branch on `code`, show or log `message`. No data accompanies it.")
  .register(apiComponents, { id: "Error" });
export type ApiError = z.infer<typeof apiErrorSchema>;

// Inputs

export const MAX_PAGE_SIZE = 200;
export const DEFAULT_PAGE_SIZE = 50;

export const subscriptionIdParam = z
  .guid("must be a marketplace subscription id (a GUID)")
  .transform((id) => id.toLowerCase())
  .describe("The marketplace subscription id.");

export const tenantIdParam = z
  .guid("must be the customer's Entra tenant id (a GUID)")
  .transform((id) => id.toLowerCase())
  .describe("An Entra tenant id: its subscriptions as beneficiary (user) or purchaser.");

export const limitParam = z.coerce
  .number<string>("must be a whole number")
  .int(`must be a whole number from 1 to ${MAX_PAGE_SIZE}`)
  .min(1, `must be a whole number from 1 to ${MAX_PAGE_SIZE}`)
  .max(MAX_PAGE_SIZE, `must be a whole number from 1 to ${MAX_PAGE_SIZE}`)
  .describe(`Page size, 1 to ${MAX_PAGE_SIZE} (default ${DEFAULT_PAGE_SIZE}).`);

export const cursorParam = z.string().max(200).describe("`nextCursor` of the previous page.");
