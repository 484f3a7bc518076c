"use client";

import { useTranslations } from "next-intl";
import { useActionState } from "react";
import { SubmitButton } from "@/app/components/buttons";
import { eventTypeNames } from "@/lib/events/event-types";
import type { EndpointFormState } from "./actions";
import { SecretPanel } from "./secret-panel";

const fieldClass = "mt-1 block w-full rounded-md border border-slate-300 px-3 py-2 text-sm";

function FieldError({ id, messages }: { id: string; messages?: string[] }) {
  return messages?.length ? (
    <p id={id} className="mt-1 text-sm text-red-800">
      {messages.join(" ")}
    </p>
  ) : null;
}

/**
 * An endpoint's settings: URL, description and the event types it wants. Creating one answers
 * with its signing secret, shown once; editing keeps the secret.
 */
export function EndpointForm({
  action,
  initial,
  submitLabel,
  idPrefix,
}: {
  action: (state: EndpointFormState, formData: FormData) => Promise<EndpointFormState>;
  initial?: { url: string; description: string; eventTypes: string[] };
  submitLabel: string;
  idPrefix: string;
}) {
  const [state, dispatch] = useActionState<EndpointFormState, FormData>(action, {});
  const values = state.values ?? initial ?? { url: "", description: "", eventTypes: [] };
  const id = (name: string) => `${idPrefix}-${name}`;
  const t = useTranslations("adminClient");
  return (
    <div className="space-y-4">
      {state.created ? (
        <SecretPanel title={t("endpointForm.created", { url: state.created.url })} secret={state.created.secret}>
          <p className="mt-2 text-sm">
            {t.rich("endpointForm.openEndpoint", {
              link: (chunks) => (
                <a href={`/admin/events/${state.created?.id}`} className="font-medium text-brand-700 underline">
                  {chunks}
                </a>
              ),
            })}
          </p>
        </SecretPanel>
      ) : null}
      <form
        action={dispatch}
        className="space-y-3 rounded-lg border border-slate-200 bg-white p-4"
        noValidate
        key={state.created?.id ?? "form"}
      >
        <div>
          <label htmlFor={id("url")} className="block text-sm font-medium">
            {t("endpointForm.url")}
          </label>
          <input
            id={id("url")}
            name="url"
            type="url"
            required
            maxLength={2000}
            defaultValue={state.created ? "" : values.url}
            aria-invalid={Boolean(state.fieldErrors?.url)}
            aria-describedby={`${id("url")}-help ${id("url")}-error`}
            className={fieldClass}
            placeholder="https://product.example/marketplace/events"
          />
          <p id={`${id("url")}-help`} className="mt-1 text-xs break-words text-slate-600">
            {t("endpointForm.urlHelp")}
          </p>
          <FieldError id={`${id("url")}-error`} messages={state.fieldErrors?.url} />
        </div>
        <div>
          <label htmlFor={id("description")} className="block text-sm font-medium">
            {t("endpointForm.description")}{" "}
            <span className="font-normal text-slate-600">{t("endpointForm.optional")}</span>
          </label>
          <input
            id={id("description")}
            name="description"
            maxLength={500}
            defaultValue={state.created ? "" : values.description}
            aria-invalid={Boolean(state.fieldErrors?.description)}
            aria-describedby={`${id("description")}-error`}
            className={fieldClass}
            placeholder={t("endpointForm.descriptionPlaceholder")}
          />
          <FieldError id={`${id("description")}-error`} messages={state.fieldErrors?.description} />
        </div>
        <fieldset aria-describedby={`${id("types")}-help ${id("types")}-error`}>
          <legend className="text-sm font-medium">{t("endpointForm.eventTypes")}</legend>
          <p id={`${id("types")}-help`} className="text-xs text-slate-600">
            {t("endpointForm.eventTypesHelp")}
          </p>
          <div className="mt-2 grid gap-1 sm:grid-cols-2">
            {eventTypeNames.map((type) => (
              <label
                key={type}
                className="flex items-start gap-2 text-sm"
                title={t(`eventTypes.${type.replace(".", "_") as "subscription_created"}`)}
              >
                <input
                  type="checkbox"
                  name="eventTypes"
                  value={type}
                  defaultChecked={!state.created && values.eventTypes.includes(type)}
                  className="mt-1"
                />
                <span>
                  <code>{type}</code>
                </span>
              </label>
            ))}
          </div>
          <FieldError id={`${id("types")}-error`} messages={state.fieldErrors?.eventTypes} />
        </fieldset>
        {state.error ? (
          <p role="alert" className="rounded-md bg-red-50 p-3 text-sm text-red-800">
            {state.error}
          </p>
        ) : null}
        {state.ok ? (
          <p role="status" className="rounded-md bg-emerald-50 p-3 text-sm text-emerald-900">
            {state.ok}
          </p>
        ) : null}
        <SubmitButton pendingText={t("endpointForm.saving")}>{submitLabel}</SubmitButton>
      </form>
    </div>
  );
}
