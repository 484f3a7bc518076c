/** The usage events a subscription was billed for, on its sandbox page (newest hour first), with what GET /usageEvents reconciles for each hour. */
import { html, type SafeHtml } from "../html";
import type { StoredUsageEvent } from "./usage-ledger";

export function usageEventsTable(
  events: StoredUsageEvent[],
  labelledBy: string,
  reconciliationOf: (event: StoredUsageEvent) => { reconStatus: string; processedQuantity: number },
): SafeHtml {
  if (events.length === 0) return html`<p>No usage reported yet (Metering API).</p>`;
  return html`<div class="table-wrap"><table aria-labelledby="${labelledBy}" data-testid="usage-events">
  <thead><tr><th scope="col">Hour (UTC)</th><th scope="col">Dimension</th><th scope="col">Quantity</th><th scope="col">Plan</th><th scope="col">Usage event</th><th scope="col">Accepted</th><th scope="col">Reconciliation</th></tr></thead>
  <tbody>${[...events].reverse().map((e) => {
    const reconciliation = reconciliationOf(e);
    return html`<tr>
    <td class="mono">${e.hourStart}</td>
    <td>${e.dimension}</td>
    <td>${e.quantity}</td>
    <td class="mono">${e.planId}</td>
    <td class="mono">${e.usageEventId}<div class="hint">via ${e.via}</div></td>
    <td class="mono">${e.messageTime}</td>
    <td data-recon-status="${reconciliation.reconStatus}">${reconciliation.reconStatus}<div class="hint">processed ${reconciliation.processedQuantity}</div></td>
  </tr>`;
  })}</tbody>
</table></div>`;
}
