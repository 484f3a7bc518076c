"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { z } from "zod";
import { requirePublisherAdmin } from "@/lib/auth/require-publisher-admin";
import { eventsEnv } from "@/lib/env";
import { AppError, isAppError } from "@/lib/errors";
import { endpointInput, overlapHoursInput } from "@/lib/events/endpoint-input";
import {
  createEndpoint,
  deleteEndpoint,
  rotateEndpointSecret,
  setEndpointEnabled,
  updateEndpoint,
} from "@/lib/events/manage-endpoints";
import { replayDelivery, replayFailedDeliveries } from "@/lib/events/replay-deliveries";
import { formText } from "@/lib/http/form-text";
import { logger } from "@/lib/logger";
import type { AdminActionState } from "../_components/action-form";
import { runAdminAction } from "../_components/run-admin-action";

type Field = "url" | "description" | "eventTypes";

export interface EndpointFormState {
  values?: { url: string; description: string; eventTypes: string[] };
  fieldErrors?: Partial<Record<Field, string[]>>;
  error?: string;
  ok?: string;
  /** A new endpoint's secret: shown once, in this answer only. */
  created?: { id: string; url: string; secret: string };
}

export interface RotateSecretState extends AdminActionState {
  /** The new secret: shown once, in this answer only. */
  secret?: string;
}

const endpointId = z.uuid();

function readEndpointForm(formData: FormData) {
  const values = {
    url: formText(formData, "url"),
    description: formText(formData, "description"),
    eventTypes: formData.getAll("eventTypes").filter((value): value is string => typeof value === "string"),
  };
  const parsed = endpointInput(eventsEnv().EVENT_ENDPOINT_ALLOWED_HOSTS).safeParse(values);
  return { values, parsed };
}

export async function createEndpointAction(_state: EndpointFormState, formData: FormData): Promise<EndpointFormState> {
  const actor = await requirePublisherAdmin();
  const { values, parsed } = readEndpointForm(formData);
  if (!parsed.success) return { values, fieldErrors: z.flattenError(parsed.error).fieldErrors };
  try {
    const { endpoint, secret } = await createEndpoint({ input: parsed.data, actor });
    revalidatePath("/admin/events");
    return { created: { id: endpoint.id, url: endpoint.url, secret } };
  } catch (error) {
    logger.error("event endpoint creation failed", { error });
    return { values, error: "The endpoint could not be created; nothing was saved. Please try again." };
  }
}

export async function updateEndpointAction(
  id: string,
  _state: EndpointFormState,
  formData: FormData,
): Promise<EndpointFormState> {
  const actor = await requirePublisherAdmin();
  const { values, parsed } = readEndpointForm(formData);
  if (!endpointId.safeParse(id).success) return { values, error: "Unknown endpoint. Nothing was changed." };
  if (!parsed.success) return { values, fieldErrors: z.flattenError(parsed.error).fieldErrors };
  try {
    await updateEndpoint({ endpointId: id, input: parsed.data, actor });
  } catch (error) {
    if (isAppError(error) && error.code === "invalid_input") return { values, error: error.message };
    logger.error("event endpoint update failed", { error });
    return { values, error: "The changes could not be saved; nothing was changed. Please try again." };
  }
  revalidatePath(`/admin/events/${id}`);
  return {
    values: { ...parsed.data },
    ok: "Saved. New events follow these settings; deliveries already made stay as they are.",
  };
}

function checkedId(id: string) {
  if (!endpointId.safeParse(id).success)
    throw new AppError("invalid_input", { message: "Unknown endpoint. Nothing was changed." });
  return id;
}

export async function setEndpointEnabledAction(
  id: string,
  enabled: boolean,
  _state: AdminActionState,
  formData: FormData,
): Promise<AdminActionState> {
  return runAdminAction(
    formData,
    async (actor) => {
      const changed = await setEndpointEnabled({ endpointId: checkedId(id), enabled, actor });
      if (!changed) return { error: `This endpoint is already ${enabled ? "enabled" : "disabled"}.` };
      return {
        ok: enabled
          ? "Enabled: new events are delivered to it again. Replay the failed ones if the product needs them."
          : "Disabled: new events are not delivered to it, and waiting deliveries are dead-lettered when they come up.",
      };
    },
    { revalidate: { path: `/admin/events/${id}` } },
  );
}

export async function rotateSecretAction(
  id: string,
  _state: RotateSecretState,
  formData: FormData,
): Promise<RotateSecretState> {
  return runAdminAction<RotateSecretState>(
    formData,
    async (actor) => {
      const overlap = overlapHoursInput.safeParse(formText(formData, "overlapHours"));
      if (!overlap.success)
        throw new AppError("invalid_input", {
          message: `${overlap.error.issues[0]?.message ?? "Invalid overlap."} Nothing was changed.`,
        });
      const rotated = await rotateEndpointSecret({ endpointId: checkedId(id), overlapHours: overlap.data, actor });
      return {
        secret: rotated.secret,
        ok: rotated.previousValidUntil
          ? `New secret below. Until ${rotated.previousValidUntil.toISOString().slice(0, 16).replace("T", " ")} UTC every delivery is signed with both secrets: switch your product to the new one before then.`
          : "New secret below. The previous secret no longer signs: switch your product to the new one now.",
      };
    },
    { revalidate: { path: `/admin/events/${id}` } },
  );
}

export async function deleteEndpointAction(
  id: string,
  _state: AdminActionState,
  formData: FormData,
): Promise<AdminActionState> {
  const state = await runAdminAction(formData, async (actor) => {
    await deleteEndpoint({ endpointId: checkedId(id), actor });
    return { ok: "Deleted." };
  });
  if (!state.ok) return state;
  revalidatePath("/admin/events");
  // Its page is gone: back to the list, which says so.
  redirect("/admin/events?deleted=1");
}

export async function replayDeliveryAction(
  endpoint: string,
  deliveryId: string,
  _state: AdminActionState,
  formData: FormData,
): Promise<AdminActionState> {
  return runAdminAction(
    formData,
    async (actor) => {
      if (!endpointId.safeParse(deliveryId).success)
        throw new AppError("invalid_input", { message: "Unknown delivery. Nothing was replayed." });
      await replayDelivery({ deliveryId, actor });
      return { ok: "Queued: the event is sent again now (same webhook-id), with a fresh retry window." };
    },
    { revalidate: { path: `/admin/events/${endpoint}` } },
  );
}

export async function replayFailedAction(
  id: string,
  _state: AdminActionState,
  formData: FormData,
): Promise<AdminActionState> {
  return runAdminAction(
    formData,
    async (actor) => {
      const { replayed, remaining } = await replayFailedDeliveries({ endpointId: checkedId(id), actor });
      if (replayed === 0) return { error: "There are no dead-lettered deliveries to replay." };
      return {
        ok: `${replayed} ${replayed === 1 ? "delivery is" : "deliveries are"} sent again now${remaining > 0 ? `; ${remaining} more remain: replay again for the next batch` : ""}.`,
      };
    },
    { revalidate: { path: `/admin/events/${id}` } },
  );
}
