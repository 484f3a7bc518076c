/**
 * Microsoft names the offer of a purchase made through the offer's preview (Partner Center's
 * preview audience) `<offerId>-preview` (marketplace-contract.md §15.26; SaaS Accelerator issues
 * #522, #694). It is the same offer: the catalog, API-key offer scopes and the product read it as
 * such, and pages say it is a preview. Pure (no server-only): API-key rules use it too.
 */
export const PREVIEW_SUFFIX = "-preview";

/** The offer an offer id stands for, and whether it is a preview purchase's. */
export function previewOffer(offerId: string): { offerId: string; preview: boolean } {
  if (offerId.length <= PREVIEW_SUFFIX.length || !offerId.endsWith(PREVIEW_SUFFIX)) return { offerId, preview: false };
  return { offerId: offerId.slice(0, -PREVIEW_SUFFIX.length), preview: true };
}
