/** What the subscription page says after an action succeeded (keyed, so the URL carries no free text). */
export const doneMessages = {
  activated: "Activated: Microsoft reports the subscription as active.",
  "activation-processing": "Microsoft accepted the activation but still reports it pending. Re-sync in a minute.",
  "plan-requested": "Plan change sent to Microsoft; the operation is followed in the timeline below.",
  "seats-requested": "Seat change sent to Microsoft; the operation is followed in the timeline below.",
  "cancel-requested": "Cancellation sent to Microsoft; the operation is followed in the timeline below.",
  resynced: "Re-read from Microsoft; this record now matches it.",
  "resync-refused":
    "Re-read from Microsoft, but its status cannot be applied here (the state machine refuses it): see the timeline.",
  "ack-requeued": "The acknowledgement is queued again; it is sent within seconds.",
} as const;

export type DoneKey = keyof typeof doneMessages;
