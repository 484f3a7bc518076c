"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { requirePublisherAdmin } from "@/lib/auth/require-publisher-admin";
import { formText } from "@/lib/http/form-text";
import { logger } from "@/lib/logger";
import { createApiKeyInput, splitList } from "@/lib/api-keys/api-key-input";
import { createApiKey } from "@/lib/api-keys/create-api-key";
import { revokeApiKey } from "@/lib/api-keys/revoke-api-key";
import { AppError } from "@/lib/errors";
import type { AdminActionState } from "../_components/action-form";
import { runAdminAction } from "../_components/run-admin-action";

export interface CreateKeyState {
  values?: { name: string; scopes: string[]; offerIds: string; tenantIds: string };
  fieldErrors?: Partial<Record<"name" | "scopes" | "offerIds" | "tenantIds", string[]>>;
  error?: string;
  /** The new key: shown once, in this answer only. */
  created?: { key: string; name: string; prefix: string; scopes: string[] };
}

export async function createApiKeyAction(_state: CreateKeyState, formData: FormData): Promise<CreateKeyState> {
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
  if (!parsed.success) return { values, fieldErrors: z.flattenError(parsed.error).fieldErrors };
  try {
    const { key, apiKey } = await createApiKey({ input: parsed.data, actor });
    revalidatePath("/admin/api-keys");
    return { created: { key, name: apiKey.name, prefix: apiKey.prefix, scopes: apiKey.scopes } };
  } catch (error) {
    logger.error("API key creation failed", { error });
    return { values, error: "The key could not be created; nothing was saved. Please try again." };
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
      if (!z.uuid().safeParse(apiKeyId).success)
        throw new AppError("invalid_input", { message: "Unknown key. Nothing was changed." });
      const revoked = await revokeApiKey({ apiKeyId, actor });
      return revoked
        ? { ok: "Revoked: requests with this key are refused (401) from now on." }
        : { error: "This key is unknown or already revoked." };
    },
    { revalidate: { path: "/admin/api-keys" } },
  );
}
