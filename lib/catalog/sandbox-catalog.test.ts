/**
 * The shipped catalog (config/catalog.json) describes the sandbox's offers (sandbox/config/catalog.json)
 * as they are: every offer and plan it names exists there, every sandbox plan has an entry, and
 * included quantities are for dimensions the plan meters.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parseCatalog } from "./catalog-schema";

interface SandboxPlan {
  planId: string;
  meteringDimensions: { id: string }[];
}
const sandbox = JSON.parse(readFileSync("sandbox/config/catalog.json", "utf8")) as {
  offers: { offerId: string; plans: SandboxPlan[] }[];
};
const portal = parseCatalog(readFileSync("config/catalog.json", "utf8"), "config/catalog.json");

describe("the shipped catalog and the sandbox's offers", () => {
  it("lists every sandbox offer and plan, and nothing the sandbox does not sell", () => {
    const ids = (offers: { offerId: string; plans: { planId: string }[] }[]) =>
      offers.flatMap((offer) => offer.plans.map((plan) => `${offer.offerId}/${plan.planId}`)).sort();
    expect(ids(portal.offers)).toEqual(ids(sandbox.offers));
  });

  it("includes quantities only of dimensions the plan meters", () => {
    for (const offer of portal.offers) {
      for (const plan of offer.plans) {
        const metered = sandbox.offers
          .find((candidate) => candidate.offerId === offer.offerId)
          ?.plans.find((candidate) => candidate.planId === plan.planId)
          ?.meteringDimensions.map((dimension) => dimension.id);
        for (const dimension of Object.keys(plan.includedQuantities))
          expect(metered, `${offer.offerId}/${plan.planId} includes ${dimension}`).toContain(dimension);
      }
    }
  });

  it("gives every plan features and a name", () => {
    for (const offer of portal.offers)
      for (const plan of offer.plans) {
        expect(plan.displayName, `${offer.offerId}/${plan.planId}`).toBeTruthy();
        expect(Object.keys(plan.features).length, `${offer.offerId}/${plan.planId}`).toBeGreaterThan(0);
      }
  });
});
