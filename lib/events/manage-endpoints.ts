/**
 * The console's changes to event endpoints, each audited (who, what) in the transaction that makes
 * it: create (the secret is returned once), edit, enable/disable, rotate the secret with an
 * overlap, delete. Secrets never go into the audit trail or the log.
 */
import "server-only";
import { recordAudit } from "../audit/record-audit";
import type { Actor } from "../auth/current-user";
import { db } from "../db";
import { AppError } from "../errors";
import type { EndpointInput } from "./endpoint-input";
import { storedEventType } from "./event-types";
import { generateSigningSecret } from "./sign-event";

type Who = Pick<Actor, "tid" | "oid">;
const auditActor = (actor: Who) => ({ actorType: "user" as const, actorTid: actor.tid, actorOid: actor.oid });

const unknownEndpoint = () =>
  new AppError("invalid_input", {
    message: "This endpoint no longer exists (deleted meanwhile?). Nothing was changed.",
  });

export async function createEndpoint(options: { input: EndpointInput; actor: Who }) {
  const secret = generateSigningSecret();
  const endpoint = await db().$transaction(async (tx) => {
    const created = await tx.eventEndpoint.create({
      data: {
        url: options.input.url,
        description: options.input.description,
        eventTypes: options.input.eventTypes.map(storedEventType),
        secret,
        createdByTid: options.actor.tid,
        createdByOid: options.actor.oid,
      },
      select: { id: true, url: true, description: true },
    });
    await recordAudit(tx, {
      actor: auditActor(options.actor),
      action: "event_endpoint_created",
      detail: { endpointId: created.id, url: created.url, eventTypes: options.input.eventTypes },
    });
    return created;
  });
  return { endpoint, secret };
}

export async function updateEndpoint(options: { endpointId: string; input: EndpointInput; actor: Who }) {
  await db().$transaction(async (tx) => {
    const before = await tx.eventEndpoint.findUnique({ where: { id: options.endpointId } });
    if (!before) throw unknownEndpoint();
    await tx.eventEndpoint.update({
      where: { id: options.endpointId },
      data: {
        url: options.input.url,
        description: options.input.description,
        eventTypes: options.input.eventTypes.map(storedEventType),
      },
    });
    await recordAudit(tx, {
      actor: auditActor(options.actor),
      action: "event_endpoint_updated",
      detail: {
        endpointId: options.endpointId,
        ...(before.url !== options.input.url ? { url: { from: before.url, to: options.input.url } } : {}),
        eventTypes: options.input.eventTypes,
      },
    });
  });
}

/** Enables or disables an endpoint; false when it already was. Disabled endpoints get no new deliveries. */
export async function setEndpointEnabled(options: { endpointId: string; enabled: boolean; actor: Who }) {
  return db().$transaction(async (tx) => {
    const exists = await tx.eventEndpoint.findUnique({ where: { id: options.endpointId }, select: { id: true } });
    if (!exists) throw unknownEndpoint();
    const changed = await tx.eventEndpoint.updateMany({
      where: { id: options.endpointId, enabled: !options.enabled },
      data: options.enabled
        ? { enabled: true, disabledAt: null, disabledReason: null }
        : { enabled: false, disabledAt: new Date(), disabledReason: "disabled by an admin" },
    });
    if (changed.count === 0) return false;
    await recordAudit(tx, {
      actor: auditActor(options.actor),
      action: options.enabled ? "event_endpoint_enabled" : "event_endpoint_disabled",
      detail: { endpointId: options.endpointId },
    });
    return true;
  });
}

/**
 * A new secret, returned once. The previous one keeps signing for `overlapHours` (deliveries carry
 * both signatures meanwhile), so the product can switch at any moment within it; 0 ends it at once.
 */
export async function rotateEndpointSecret(options: { endpointId: string; overlapHours: number; actor: Who }) {
  const secret = generateSigningSecret();
  const now = new Date();
  const expiresAt = new Date(now.getTime() + options.overlapHours * 3_600_000);
  await db().$transaction(async (tx) => {
    const before = await tx.eventEndpoint.findUnique({ where: { id: options.endpointId }, select: { secret: true } });
    if (!before) throw unknownEndpoint();
    await tx.eventEndpoint.update({
      where: { id: options.endpointId },
      data: {
        secret,
        previousSecret: options.overlapHours > 0 ? before.secret : null,
        previousSecretExpiresAt: options.overlapHours > 0 ? expiresAt : null,
        secretRotatedAt: now,
      },
    });
    await recordAudit(tx, {
      actor: auditActor(options.actor),
      action: "event_endpoint_secret_rotated",
      detail: { endpointId: options.endpointId, overlapHours: options.overlapHours },
    });
  });
  return { secret, previousValidUntil: options.overlapHours > 0 ? expiresAt : null };
}

/** Deletes an endpoint with its deliveries and their attempts (the events stay, for other endpoints). */
export async function deleteEndpoint(options: { endpointId: string; actor: Who }) {
  await db().$transaction(async (tx) => {
    const endpoint = await tx.eventEndpoint.findUnique({ where: { id: options.endpointId }, select: { url: true } });
    if (!endpoint) throw unknownEndpoint();
    await tx.eventEndpoint.delete({ where: { id: options.endpointId } });
    await recordAudit(tx, {
      actor: auditActor(options.actor),
      action: "event_endpoint_deleted",
      detail: { endpointId: options.endpointId, url: endpoint.url },
    });
  });
}
