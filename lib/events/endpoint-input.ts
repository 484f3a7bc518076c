/**
 * What an admin enters for an event endpoint; the same schema checks the console's form and the
 * server action. The URL's address rules (https, public unless allowed) are delivery-target.ts's.
 */
import { z } from "zod";
import { eventTypeNames, isEventType, type EventType } from "./event-types";
import { findUrlProblem, urlProblem } from "./delivery-target";

export function endpointInput(allowList: readonly string[]) {
  return z.object({
    url: z
      .string()
      .trim()
      .min(1, "Enter the URL your product receives events at.")
      .max(2000, "At most 2000 characters.")
      .superRefine((url, context) => {
        // The English words for the API and logs; the problem as data for the console's words.
        const problem = findUrlProblem(url, allowList);
        if (problem) context.addIssue({ code: "custom", message: urlProblem(url, allowList)!, params: problem });
      }),
    description: z.string().trim().max(500, "At most 500 characters."),
    eventTypes: z
      .array(z.string())
      .max(eventTypeNames.length)
      .transform((types, context) => {
        const unknown = types.filter((type) => !isEventType(type));
        if (unknown.length > 0) {
          context.addIssue({
            code: "custom",
            message: `Unknown event type: ${unknown.join(", ")}.`,
            params: { code: "unknown_event_type", types: unknown },
          });
          return z.NEVER;
        }
        return [...new Set(types)] as EventType[];
      }),
  });
}
export type EndpointInput = z.output<ReturnType<typeof endpointInput>>;

/** Overlap of a secret rotation: how long the previous secret keeps signing (0 = stop at once). */
export const overlapHoursInput = z.coerce
  .number({ error: "Enter the overlap in hours." })
  .min(0, "The overlap cannot be negative.")
  .max(30 * 24, "At most 30 days (720 hours).");
