"use client";

import { useActionState } from "react";
import { SubmitButton } from "@/app/components/buttons";
import { apiKeyScopes, scopeDescriptions } from "@/lib/api-keys/scopes";
import { createApiKeyAction, type CreateKeyState } from "./actions";

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
  return (
    <div className="space-y-4">
      {state.created ? (
        <div
          role="status"
          className="rounded-lg border border-emerald-300 bg-emerald-50 p-4"
          data-testid="new-api-key-panel"
        >
          <p className="font-semibold text-emerald-900">
            Key “{state.created.name}” created. Copy it now: it is not stored and will not be shown again.
          </p>
          <label htmlFor="new-api-key" className="mt-2 block text-sm text-emerald-900">
            API key
          </label>
          <input
            id="new-api-key"
            data-testid="new-api-key"
            readOnly
            value={state.created.key}
            onFocus={(event) => event.currentTarget.select()}
            className="mt-1 block w-full rounded-md border border-emerald-300 bg-white px-3 py-2 font-mono text-sm"
          />
          <p className="mt-2 text-sm text-emerald-900">
            The product sends it as <code>Authorization: Bearer {state.created.prefix}…</code> to{" "}
            {state.created.scopes.map((scope, index) => (
              <span key={scope}>
                {index > 0 ? " and " : null}
                <code>{scope === "usage:write" ? "POST /api/usage" : "GET /api/v1/entitlements"}</code>
              </span>
            ))}
            .
          </p>
        </div>
      ) : null}
      <form action={dispatch} className="space-y-3 rounded-lg border border-slate-200 bg-white p-4" noValidate>
        <div>
          <label htmlFor="key-name" className="block text-sm font-medium">
            Name
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
            placeholder="e.g. Analytics production"
          />
          <FieldError id="key-name-error" messages={state.fieldErrors?.name} />
        </div>
        <fieldset aria-describedby="key-scopes-error">
          <legend className="block text-sm font-medium">What the key may do</legend>
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
                  {scopeDescriptions[scope].label} <code className="text-xs text-slate-600">{scope}</code>
                  <span className="block text-xs text-slate-600">{scopeDescriptions[scope].detail}</span>
                </span>
              </label>
            ))}
          </div>
          <FieldError id="key-scopes-error" messages={state.fieldErrors?.scopes} />
        </fieldset>
        <div>
          <label htmlFor="key-offers" className="block text-sm font-medium">
            Limit to offers <span className="font-normal text-slate-600">(optional, comma-separated offer ids)</span>
          </label>
          {knownOffers.length ? (
            <p id="key-offers-known" className="mt-1 text-xs text-slate-600">
              Offers in the catalog:{" "}
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
            placeholder="every offer"
          />
          <FieldError id="key-offers-error" messages={state.fieldErrors?.offerIds} />
        </div>
        <div>
          <label htmlFor="key-tenants" className="block text-sm font-medium">
            Limit to customer tenants{" "}
            <span className="font-normal text-slate-600">
              (optional: the Entra tenant ids of the customers who use the subscriptions, e.g. for a single-customer
              deployment)
            </span>
          </label>
          <input
            id="key-tenants"
            name="tenantIds"
            defaultValue={state.values?.tenantIds ?? ""}
            aria-invalid={Boolean(state.fieldErrors?.tenantIds)}
            aria-describedby="key-tenants-error"
            className={fieldClass}
            placeholder="every customer"
          />
          <FieldError id="key-tenants-error" messages={state.fieldErrors?.tenantIds} />
        </div>
        {state.error ? (
          <p role="alert" className="rounded-md bg-red-50 p-3 text-sm text-red-800">
            {state.error}
          </p>
        ) : null}
        <SubmitButton pendingText="Creating…">Create key</SubmitButton>
      </form>
    </div>
  );
}
