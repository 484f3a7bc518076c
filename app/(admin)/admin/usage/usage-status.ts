/** How the console names the state of an hour of usage, and the colour it gets in the chart. */
export const usageStatus: Record<string, { label: string; fill: string; text: string }> = {
  accepted: { label: "Billed", fill: "fill-emerald-600", text: "text-emerald-800" },
  duplicate: { label: "Already billed", fill: "fill-teal-500", text: "text-teal-800" },
  pending: { label: "Waiting to send", fill: "fill-sky-500", text: "text-sky-800" },
  submitting: { label: "Sending", fill: "fill-sky-700", text: "text-sky-900" },
  open: { label: "Hour not closed yet", fill: "fill-slate-400", text: "text-slate-700" },
  held: { label: "Held: subscription not active", fill: "fill-amber-500", text: "text-amber-900" },
  failed: { label: "Failed", fill: "fill-red-600", text: "text-red-800" },
  expired: { label: "Expired, not billed", fill: "fill-red-900", text: "text-red-900" },
  skipped: { label: "Nothing to bill", fill: "fill-slate-300", text: "text-slate-600" },
  none: { label: "No usage", fill: "fill-slate-200", text: "text-slate-500" },
};

export const statusOf = (status: string) =>
  usageStatus[status] ?? { label: status, fill: "fill-slate-500", text: "text-slate-700" };
