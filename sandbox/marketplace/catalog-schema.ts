/**
 * The shape of `sandbox/config/catalog.json`, checked when the sandbox loads it, so a typo in a
 * hand-edited catalog (a misspelt term unit, `autoActivate: "yes"`) stops the start with the
 * field at fault instead of surfacing later as a wrong answer.
 */
import { z } from "zod";
import type { Catalog } from "../types";

const dimensionSchema = z.object({
  id: z.string().min(1),
  displayName: z.string().min(1),
  unitOfMeasure: z.string().min(1),
  pricePerUnit: z.number().nonnegative(),
});

const planSchema = z
  .object({
    planId: z.string().min(1),
    displayName: z.string().min(1),
    description: z.string(),
    isPricePerSeat: z.boolean(),
    minQuantity: z.number().int().positive().optional(),
    maxQuantity: z.number().int().positive().optional(),
    hasFreeTrials: z.boolean().optional(),
    price: z.number().nonnegative(),
    termUnit: z.enum(["P1M", "P1Y", "P2Y", "P3Y", "P4Y", "P5Y"]),
    chargeDuration: z.string().min(1).optional(),
    autoActivate: z.boolean().optional(),
    meteringDimensions: z.array(dimensionSchema),
  })
  .refine((plan) => (plan.minQuantity ?? 1) <= (plan.maxQuantity ?? Number.MAX_SAFE_INTEGER), {
    message: "minQuantity must not exceed maxQuantity",
  });

const catalogSchema = z.object({
  $comment: z.string().optional(),
  publisherId: z.string().min(1),
  offers: z.array(
    z.object({
      offerId: z.string().min(1),
      displayName: z.string().min(1),
      plans: z.array(planSchema).min(1),
    }),
  ),
});

/** The catalog, or an error naming every field that does not fit. */
export function parseCatalog(raw: unknown): Catalog {
  const parsed = catalogSchema.safeParse(raw);
  if (!parsed.success) throw new Error(`The sandbox catalog is not valid: ${z.prettifyError(parsed.error)}`);
  const { $comment: _comment, ...catalog } = parsed.data;
  return catalog;
}
