/** Dates in the console: UTC, to the second, the same for every operator whatever their locale. */
export function formatDate(date: Date | null | undefined): string {
  return date ? `${date.toISOString().slice(0, 19).replace("T", " ")} UTC` : "—";
}

export const statusLabels: Record<string, string> = {
  NotStarted: "Not started",
  PendingFulfillmentStart: "Waiting for activation",
  Subscribed: "Active",
  Suspended: "Suspended",
  Unsubscribed: "Cancelled",
};
