/** The pages' reminder that the emulator is not playing Microsoft's documented behaviour right now. */
import { html, type SafeHtml } from "../html";
import type { MarketplaceContext } from "./context";
import { VARIANTS } from "./variants";

export function variantsBanner(ctx: MarketplaceContext): SafeHtml | "" {
  const enabled = ctx.variants.enabled();
  if (enabled.length === 0) return "";
  const described = VARIANTS.filter((v) => enabled.includes(v.name));
  return html`<section class="variants" aria-labelledby="variants-title" data-testid="sandbox-variants">
  <strong id="variants-title">Variants on (${described.length}): not Microsoft's documented behaviour</strong>
  <ul>${described.map((v) => html`<li><span class="mono">${v.name}</span>: ${v.description}</li>`)}</ul>
</section>`;
}
