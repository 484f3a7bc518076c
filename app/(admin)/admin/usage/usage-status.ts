import type { createFormatter } from "next-intl";
import type { getTranslations } from "next-intl/server";

/** The colour an hour of usage gets in the chart and lists, by its state; the words are in the catalog (adminUsage.status). */
export const usageStatus: Record<string, { fill: string; text: string }> = {
  accepted: { fill: "fill-emerald-600", text: "text-emerald-800" },
  duplicate: { fill: "fill-teal-500", text: "text-teal-800" },
  pending: { fill: "fill-sky-500", text: "text-sky-800" },
  submitting: { fill: "fill-sky-700", text: "text-sky-900" },
  open: { fill: "fill-slate-400", text: "text-slate-700" },
  held: { fill: "fill-amber-500", text: "text-amber-900" },
  failed: { fill: "fill-red-600", text: "text-red-800" },
  expired: { fill: "fill-red-900", text: "text-red-900" },
  skipped: { fill: "fill-slate-300", text: "text-slate-600" },
  none: { fill: "fill-slate-200", text: "text-slate-500" },
};

export const statusOf = (status: string) => usageStatus[status] ?? { fill: "fill-slate-500", text: "text-slate-700" };

type UsageTranslator = Awaited<ReturnType<typeof getTranslations<"adminUsage">>>;

/** An hour's state in words; a state the console does not know, by its name. */
export function usageStatusLabel(t: UsageTranslator, status: string): string {
  const key = `status.${status}` as "status.accepted";
  return t.has(key) ? t(key) : status;
}

/** A usage quantity (a decimal as text) in the reader's digits, every decimal kept. */
export function formatQuantity(format: ReturnType<typeof createFormatter>, quantity: string | number): string {
  return format.number(Number(quantity), { maximumFractionDigits: 20 });
}
