"use client";

import { useFormatter, useTranslations } from "next-intl";
import { useActionState } from "react";
import { SubmitButton } from "@/app/components/buttons";
import { apiKeyScopes } from "@/lib/api-keys/scopes";
import { createApiKeyAction, type CreateKeyState } from "./actions";
import { ShownOnce } from "../_components/shown-once";

const fieldClass = "mt-1 block w-full rounded-md border border-slate-300 px-3 py-2 text-sm";

function FieldError({ id, messages }: { id: string; messages?: string[] }) {
  return messages?.length ? (
    <p id={id} className="mt-1 text-sm text-red-800">
      {messages.join(" ")}
    </p>
  ) : null;
}

/** Create a key; the answer shows it once (it is not stored and cannot be shown again). */
export function CreateKeyForm({ knownOffers }: { knownOffers: Array<{ id: string; displayName: string }> }) {
  const [state, dispatch] = useActionState<CreateKeyState, FormData>(createApiKeyAction, {});
  const t = useTranslations("adminClient");
  const format = useFormatter();
  return (
    <div className="space-y-4">
      {state.created ? (
        <ShownOnce
          title={t("createKey.created", { name: state.created.name })}
          label={t("createKey.apiKey")}
          value={state.created.key}
          inputId="new-api-key"
          testIds={{ panel: "new-api-key-panel", value: "new-api-key" }}
        >
          <p className="mt-2 text-sm break-words text-emerald-900">
            {t.rich("createKey.sendsAs", {
              prefix: state.created.prefix,
              code: (chunks) => <code className="break-all">{chunks}</code>,
              endpoints: () => (
                <>
                  {format.list(
                    state.created!.scopes.map((scope) => (
                      <code key={scope}>
                        {scope === "usage:write" ? "POST /api/usage" : "GET /api/v1/entitlements"}
                      </code>
                    )),
                  )}
                </>
              ),
            })}
          </p>
        </ShownOnce>
      ) : null}
      <form action={dispatch} className="space-y-3 rounded-lg border border-slate-200 bg-white p-4" noValidate>
        <div>
          <label htmlFor="key-name" className="block text-sm font-medium">
            {t("createKey.name")}
          </label>
          <input
            id="key-name"
            name="name"
            required
            maxLength={100}
            defaultValue={state.values?.name ?? ""}
            aria-invalid={Boolean(state.fieldErrors?.name)}
            aria-describedby="key-name-error"
            className={fieldClass}
            placeholder={t("createKey.namePlaceholder")}
          />
          <FieldError id="key-name-error" messages={state.fieldErrors?.name} />
        </div>
        <fieldset aria-describedby="key-scopes-error">
          <legend className="block text-sm font-medium">{t("createKey.mayDo")}</legend>
          <div className="mt-1 space-y-1">
            {apiKeyScopes.map((scope) => (
              <label key={scope} className="flex items-start gap-2 text-sm">
                <input
                  type="checkbox"
                  name="scopes"
                  value={scope}
                  defaultChecked={state.values ? state.values.scopes.includes(scope) : scope === "usage:write"}
                  className="mt-1"
                />
                <span>
                  {t(`scopes.${scope}.label`)} <code className="text-xs text-slate-600">{scope}</code>
                  <span className="block text-xs text-slate-600">{t(`scopes.${scope}.detail`)}</span>
                </span>
              </label>
            ))}
          </div>
          <FieldError id="key-scopes-error" messages={state.fieldErrors?.scopes} />
        </fieldset>
        <div>
          <label htmlFor="key-offers" className="block text-sm font-medium">
            {t("createKey.limitOffers")}{" "}
            <span className="font-normal text-slate-600">{t("createKey.limitOffersHint")}</span>
          </label>
          {knownOffers.length ? (
            <p id="key-offers-known" className="mt-1 text-xs text-slate-600">
              {t("createKey.offersInCatalog")}{" "}
              {knownOffers.map((offer, index) => (
                <span key={offer.id}>
                  {index > 0 ? ", " : null}
                  {offer.displayName} <code>{offer.id}</code>
                </span>
              ))}
            </p>
          ) : null}
          <input
            id="key-offers"
            name="offerIds"
            defaultValue={state.values?.offerIds ?? ""}
            aria-invalid={Boolean(state.fieldErrors?.offerIds)}
            aria-describedby="key-offers-known key-offers-error"
            className={fieldClass}
            placeholder={t("createKey.offersPlaceholder")}
          />
          <FieldError id="key-offers-error" messages={state.fieldErrors?.offerIds} />
        </div>
        <div>
          <label htmlFor="key-tenants" className="block text-sm font-medium">
            {t("createKey.limitTenants")}{" "}
            <span className="font-normal text-slate-600">{t("createKey.limitTenantsHint")}</span>
          </label>
          <input
            id="key-tenants"
            name="tenantIds"
            defaultValue={state.values?.tenantIds ?? ""}
            aria-invalid={Boolean(state.fieldErrors?.tenantIds)}
            aria-describedby="key-tenants-error"
            className={fieldClass}
            placeholder={t("createKey.tenantsPlaceholder")}
          />
          <FieldError id="key-tenants-error" messages={state.fieldErrors?.tenantIds} />
        </div>
        {state.error ? (
          <p role="alert" className="rounded-md bg-red-50 p-3 text-sm text-red-800">
            {state.error}
          </p>
        ) : null}
        <SubmitButton pendingText={t("createKey.creating")}>{t("createKey.create")}</SubmitButton>
      </form>
    </div>
  );
}
