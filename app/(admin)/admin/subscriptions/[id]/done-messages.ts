/**
 * What the subscription page can say after an action succeeded, as keys (so the URL carries no
 * free text); the words are in the catalog, admin.detail.done.
 */
export const doneKeys = [
  "activated",
  "activation-processing",
  "plan-requested",
  "seats-requested",
  "cancel-requested",
  "resynced",
  "resync-refused",
  "ack-requeued",
] as const;

export type DoneKey = (typeof doneKeys)[number];

export function isDoneKey(value: string): value is DoneKey {
  return (doneKeys as readonly string[]).includes(value);
}
