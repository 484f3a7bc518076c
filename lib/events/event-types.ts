/**
 * The events the portal sends to the ISV's systems (README “Events”): their names as sent, and a
 * sentence each for the console and the docs. Pure; no server-only imports.
 */
import type { EventType as StoredEventType } from "../generated/prisma/enums";

export const eventTypes = {
  "subscription.created": "The portal learned of a new subscription (a purchase landed, or Microsoft's Subscribe).",
  "subscription.activated": "The subscription became live (Subscribed) for the first time: it is billed from now on.",
  "subscription.setup_completed": "The buyer finished the account setup (the account configuration is in the payload).",
  "subscription.plan_changed": "The plan changed (the seats too, when the new plan needs it).",
  "subscription.quantity_changed": "The number of seats changed.",
  "subscription.suspended": "Microsoft suspended the subscription (usually a payment problem): withhold access.",
  "subscription.reinstated": "A suspended subscription is live again: restore access.",
  "subscription.renewed": "The term renewed: the term dates moved forward.",
  "subscription.cancelled":
    "The subscription is cancelled (Unsubscribed, final). Its data is kept until dataRetainedUntil.",
  "subscription.data_purged": "The retention period ended and the subscription's personal data was removed.",
  "usage.rejected": "An hour of metered usage could not be billed (Microsoft refused it, or it grew too old).",
  "marketplace.acknowledgement_failed":
    "The portal's answer to a change Microsoft asked about (a plan or seat change, a reinstatement) was not taken.",
} as const;

export type EventType = keyof typeof eventTypes;
export const eventTypeNames = Object.keys(eventTypes) as EventType[];

export function isEventType(value: string): value is EventType {
  return Object.hasOwn(eventTypes, value);
}

/** The database enum's member for a type (the column stores the dotted name itself, prisma/schema.prisma). */
export function storedEventType(type: EventType): StoredEventType {
  return type.replace(".", "_") as StoredEventType;
}

export function eventTypeName(stored: StoredEventType): EventType {
  return stored.replace("_", ".") as EventType;
}
