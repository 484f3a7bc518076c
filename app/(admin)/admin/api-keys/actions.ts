"use server";

import { revalidatePath } from "next/cache";
import { getTranslations } from "next-intl/server";
import { z } from "zod";
import { requirePublisherAdmin } from "@/lib/auth/require-publisher-admin";
import { formText } from "@/lib/http/form-text";
import { logger } from "@/lib/logger";
import { createApiKeyInput, splitList } from "@/lib/api-keys/api-key-input";
import { createApiKey } from "@/lib/api-keys/create-api-key";
import { revokeApiKey } from "@/lib/api-keys/revoke-api-key";
import { AppError } from "@/lib/errors";
import type { AdminActionState } from "../_components/action-form";
import { fieldErrorsIn } from "../_components/field-errors";
import { runAdminAction } from "../_components/run-admin-action";
import { withServerActionSpan } from "@/lib/telemetry/telemetry";

export interface CreateKeyState {
  values?: { name: string; scopes: string[]; offerIds: string; tenantIds: string };
  fieldErrors?: Partial<Record<"name" | "scopes" | "offerIds" | "tenantIds", string[]>>;
  error?: string;
  /** The new key: shown once, in this answer only. */
  created?: { key: string; name: string; prefix: string; scopes: string[] };
}

export async function createApiKeyAction(_state: CreateKeyState, formData: FormData): Promise<CreateKeyState> {
  return withServerActionSpan("createApiKey", () => createApiKeyFromForm(formData));
}

async function createApiKeyFromForm(formData: FormData): Promise<CreateKeyState> {
  const actor = await requirePublisherAdmin();
  const values = {
    name: formText(formData, "name"),
    scopes: formData.getAll("scopes").filter((value): value is string => typeof value === "string"),
    offerIds: formText(formData, "offerIds"),
    tenantIds: formText(formData, "tenantIds"),
  };
  const parsed = createApiKeyInput.safeParse({
    name: values.name,
    scopes: values.scopes,
    offerIds: splitList(values.offerIds),
    tenantIds: splitList(values.tenantIds),
  });
  const t = await getTranslations("adminIntegration.apiKeys.actions");
  if (!parsed.success)
    return {
      values,
      // The schema's issues by code (lib/api-keys/api-key-input.ts), in the operator's language.
      fieldErrors: fieldErrorsIn<"name" | "scopes" | "offerIds" | "tenantIds">(parsed.error, (field, issue) => {
        if (field === "name") return issue.code === "too_small" ? t("nameRequired") : t("nameTooLong");
        if (field === "scopes") return issue.code === "too_small" ? t("scopesRequired") : t("unknownScope");
        if (field === "offerIds") return issue.code === "too_big" ? t("tooMany") : t("offerIdFormat");
        if (field === "tenantIds") return issue.code === "too_big" ? t("tooMany") : t("tenantIdFormat");
        return undefined;
      }),
    };
  try {
    const { key, apiKey } = await createApiKey({ input: parsed.data, actor });
    revalidatePath("/admin/api-keys");
    return { created: { key, name: apiKey.name, prefix: apiKey.prefix, scopes: apiKey.scopes } };
  } catch (error) {
    logger.error("API key creation failed", { error });
    return { values, error: t("createFailed") };
  }
}

export async function revokeApiKeyAction(
  apiKeyId: string,
  _state: AdminActionState,
  formData: FormData,
): Promise<AdminActionState> {
  return runAdminAction(
    formData,
    async (actor) => {
      const t = await getTranslations("adminIntegration.apiKeys.actions");
      if (!z.uuid().safeParse(apiKeyId).success) throw new AppError("invalid_input", { message: t("unknownKey") });
      const revoked = await revokeApiKey({ apiKeyId, actor });
      return revoked ? { ok: t("revoked") } : { error: t("alreadyRevoked") };
    },
    { action: "revokeApiKey", revalidate: { path: "/admin/api-keys" } },
  );
}
