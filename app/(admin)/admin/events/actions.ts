"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { getFormatter, getTranslations } from "next-intl/server";
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
import { fieldErrorsIn } from "../_components/field-errors";
import { runAdminAction } from "../_components/run-admin-action";
import { withServerActionSpan } from "@/lib/telemetry/telemetry";

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

/** The endpoint form's problems in the operator's language (the schema's issue codes and params, lib/events/endpoint-input.ts). */
async function endpointFieldErrors(error: z.ZodError) {
  const t = await getTranslations("adminIntegration.events.validation");
  return fieldErrorsIn<Field>(error, (field, issue) => {
    if (issue.code === "custom") {
      const params = issue.params ?? {};
      if (params.code === "unknown_event_type") return t("unknownEventType", { types: String(params.types ?? "") });
      if (params.code === "not_public")
        return t("url.not_public", {
          host: String(params.host),
          kind: t.has(`addressKinds.${params.kind}` as "addressKinds.private")
            ? t(`addressKinds.${params.kind}` as "addressKinds.private")
            : String(params.kind),
        });
      const key = `url.${params.code}` as "url.not_a_url";
      return t.has(key) ? t(key) : undefined;
    }
    if (issue.code === "too_small" && field === "url") return t("urlRequired");
    if (issue.code === "too_big") return t("tooLong", { max: Number(issue.maximum) });
    return undefined;
  });
}

export async function createEndpointAction(_state: EndpointFormState, formData: FormData): Promise<EndpointFormState> {
  return withServerActionSpan("createEndpoint", () => createEndpointFromForm(formData));
}

async function createEndpointFromForm(formData: FormData): Promise<EndpointFormState> {
  const actor = await requirePublisherAdmin();
  const { values, parsed } = readEndpointForm(formData);
  if (!parsed.success) return { values, fieldErrors: await endpointFieldErrors(parsed.error) };
  try {
    const { endpoint, secret } = await createEndpoint({ input: parsed.data, actor });
    revalidatePath("/admin/events");
    return { created: { id: endpoint.id, url: endpoint.url, secret } };
  } catch (error) {
    logger.error("event endpoint creation failed", { error });
    return { values, error: (await getTranslations("adminIntegration.events.actions"))("createFailed") };
  }
}

export async function updateEndpointAction(
  id: string,
  _state: EndpointFormState,
  formData: FormData,
): Promise<EndpointFormState> {
  return withServerActionSpan("updateEndpoint", () => updateEndpointFromForm(id, formData));
}

async function updateEndpointFromForm(id: string, formData: FormData): Promise<EndpointFormState> {
  const actor = await requirePublisherAdmin();
  const { values, parsed } = readEndpointForm(formData);
  const t = await getTranslations("adminIntegration.events.actions");
  if (!endpointId.safeParse(id).success) return { values, error: t("unknownEndpoint") };
  if (!parsed.success) return { values, fieldErrors: await endpointFieldErrors(parsed.error) };
  try {
    await updateEndpoint({ endpointId: id, input: parsed.data, actor });
  } catch (error) {
    if (isAppError(error) && error.code === "invalid_input") return { values, error: error.message };
    logger.error("event endpoint update failed", { error });
    return { values, error: t("saveFailed") };
  }
  revalidatePath(`/admin/events/${id}`);
  return { values: { ...parsed.data }, ok: t("saved") };
}

async function checkedId(id: string) {
  if (!endpointId.safeParse(id).success)
    throw new AppError("invalid_input", {
      message: (await getTranslations("adminIntegration.events.actions"))("unknownEndpoint"),
    });
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
      const t = await getTranslations("adminIntegration.events.actions");
      const changed = await setEndpointEnabled({ endpointId: await checkedId(id), enabled, actor });
      if (!changed) return { error: enabled ? t("alreadyEnabled") : t("alreadyDisabled") };
      return { ok: enabled ? t("enabled") : t("disabled") };
    },
    { action: "setEndpointEnabled", revalidate: { path: `/admin/events/${id}` } },
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
      const [t, format] = await Promise.all([getTranslations("adminIntegration.events.actions"), getFormatter()]);
      const overlap = overlapHoursInput.safeParse(formText(formData, "overlapHours"));
      if (!overlap.success) {
        const issue = overlap.error.issues[0];
        const problem =
          issue?.code === "too_small"
            ? "overlapNegative"
            : issue?.code === "too_big"
              ? "overlapTooLong"
              : "overlapMissing";
        throw new AppError("invalid_input", { message: t(problem) });
      }
      const rotated = await rotateEndpointSecret({
        endpointId: await checkedId(id),
        overlapHours: overlap.data,
        actor,
      });
      return {
        secret: rotated.secret,
        ok: rotated.previousValidUntil
          ? t("rotatedWithOverlap", { until: format.dateTime(rotated.previousValidUntil, "moment") })
          : t("rotatedAtOnce"),
      };
    },
    { action: "rotateSecret", revalidate: { path: `/admin/events/${id}` } },
  );
}

export async function deleteEndpointAction(
  id: string,
  _state: AdminActionState,
  formData: FormData,
): Promise<AdminActionState> {
  const state = await runAdminAction(
    formData,
    async (actor) => {
      await deleteEndpoint({ endpointId: await checkedId(id), actor });
      return { ok: "deleted" };
    },
    { action: "deleteEndpoint" },
  );
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
      const t = await getTranslations("adminIntegration.events.actions");
      if (!endpointId.safeParse(deliveryId).success)
        throw new AppError("invalid_input", { message: t("unknownDelivery") });
      await replayDelivery({ deliveryId, actor });
      return { ok: t("replayQueued") };
    },
    { action: "replayDelivery", revalidate: { path: `/admin/events/${endpoint}` } },
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
      const t = await getTranslations("adminIntegration.events.actions");
      const { replayed, remaining } = await replayFailedDeliveries({ endpointId: await checkedId(id), actor });
      if (replayed === 0) return { error: t("nothingToReplay") };
      return {
        ok:
          remaining > 0 ? t("replayedSomeRemain", { count: replayed, remaining }) : t("replayed", { count: replayed }),
      };
    },
    { action: "replayFailed", revalidate: { path: `/admin/events/${id}` } },
  );
}
