"use client";

import { useActionState, useState } from "react";
import { z } from "zod";
import { SubmitButton } from "@/app/components/buttons";
import { FormAlert } from "@/app/components/form-alert";
import { accountFields, countries, parseAccountConfig } from "@/lib/subscriptions/account-config";
import { activateFromLanding, finishSetup, type ActivationFormState } from "./actions";

interface Props {
  subscriptionId: string;
  defaults: { companyName?: string; contactName?: string; contactEmail?: string };
  /**
   * `activate`: a subscription waiting for activation (the classic landing page: save, then Activate).
   * `finish`: one Microsoft already activated (an auto-activated plan): save and finish the setup, no Activate.
   */
  mode?: "activate" | "finish";
}

const modes = {
  activate: {
    title: "Set up your account",
    submit: "Activate subscription",
    pending: "Activating your subscription…",
    note: "Microsoft starts billing once the subscription is activated.",
  },
  finish: {
    title: "Finish setting up your account",
    submit: "Save and finish setup",
    pending: "Saving your account…",
    note: "Your subscription is already active: saving sets up your account, nothing else changes.",
  },
} as const;

const inputClass =
  "mt-1 block w-full rounded-md border border-slate-300 px-3 py-2 shadow-sm focus:border-brand-600 aria-[invalid=true]:border-red-600";

export function AccountSetupForm({ subscriptionId, defaults, mode = "activate" }: Props) {
  const [state, dispatch] = useActionState<ActivationFormState, FormData>(
    mode === "finish" ? finishSetup : activateFromLanding,
    {},
  );
  const text = modes[mode];
  const [clientErrors, setClientErrors] = useState<Record<string, string[]> | undefined>();
  const errors = clientErrors ?? state.fieldErrors ?? {};
  const value = (field: (typeof accountFields)[number], fallback = "") => state.values?.[field] ?? fallback;

  // Validated in the browser first (same schema as the server); without JavaScript the form still
  // posts to the server action, which validates again.
  function validateBeforeSubmit(event: React.FormEvent<HTMLFormElement>) {
    const formData = new FormData(event.currentTarget);
    const values = Object.fromEntries(accountFields.map((field) => [field, formData.get(field) ?? undefined]));
    const parsed = parseAccountConfig(values);
    if (!parsed.success) {
      event.preventDefault();
      setClientErrors(z.flattenError(parsed.error).fieldErrors);
      return;
    }
    setClientErrors(undefined);
  }

  const field = (name: (typeof accountFields)[number], label: string, input: React.ReactNode, hint?: string) => (
    <div>
      <label htmlFor={name} className="block text-sm font-medium text-slate-800">
        {label}
      </label>
      {input}
      {hint ? (
        <p id={`${name}-hint`} className="mt-1 text-xs text-slate-500">
          {hint}
        </p>
      ) : null}
      {errors[name]?.length ? (
        <p id={`${name}-error`} className="mt-1 text-sm text-red-700">
          {errors[name]?.[0]}
        </p>
      ) : null}
    </div>
  );
  const describedBy = (name: string, hint = false) =>
    [hint ? `${name}-hint` : "", errors[name]?.length ? `${name}-error` : ""].filter(Boolean).join(" ") || undefined;

  return (
    <form
      action={dispatch}
      onSubmit={validateBeforeSubmit}
      noValidate
      className="space-y-5"
      aria-labelledby="setup-title"
    >
      <h2 id="setup-title" className="text-lg font-semibold">
        {text.title}
      </h2>
      <input type="hidden" name="subscriptionId" value={subscriptionId} />
      <FormAlert error={state.error} />
      <div className="grid gap-5 sm:grid-cols-2">
        {field(
          "companyName",
          "Company name",
          <input
            id="companyName"
            name="companyName"
            autoComplete="organization"
            required
            maxLength={120}
            defaultValue={value("companyName", defaults.companyName)}
            aria-invalid={Boolean(errors.companyName?.length)}
            aria-describedby={describedBy("companyName")}
            className={inputClass}
          />,
        )}
        {field(
          "contactName",
          "Contact name",
          <input
            id="contactName"
            name="contactName"
            autoComplete="name"
            required
            maxLength={120}
            defaultValue={value("contactName", defaults.contactName)}
            aria-invalid={Boolean(errors.contactName?.length)}
            aria-describedby={describedBy("contactName")}
            className={inputClass}
          />,
        )}
        {field(
          "contactEmail",
          "Contact email",
          <input
            id="contactEmail"
            name="contactEmail"
            type="email"
            autoComplete="email"
            required
            maxLength={254}
            defaultValue={value("contactEmail", defaults.contactEmail)}
            aria-invalid={Boolean(errors.contactEmail?.length)}
            aria-describedby={describedBy("contactEmail", true)}
            className={inputClass}
          />,
          "Where we send onboarding and billing notices.",
        )}
        {field(
          "phone",
          "Phone (optional)",
          <input
            id="phone"
            name="phone"
            type="tel"
            autoComplete="tel"
            maxLength={40}
            defaultValue={value("phone")}
            aria-invalid={Boolean(errors.phone?.length)}
            aria-describedby={describedBy("phone")}
            className={inputClass}
          />,
        )}
        {field(
          "country",
          "Country (optional)",
          <select
            id="country"
            name="country"
            defaultValue={value("country")}
            aria-invalid={Boolean(errors.country?.length)}
            aria-describedby={describedBy("country")}
            className={inputClass}
          >
            <option value="">Select a country</option>
            {countries.map(([code, name]) => (
              <option key={code} value={code}>
                {name}
              </option>
            ))}
          </select>,
        )}
        {field(
          "seatsExpected",
          "Expected number of users (optional)",
          <input
            id="seatsExpected"
            name="seatsExpected"
            inputMode="numeric"
            maxLength={6}
            defaultValue={value("seatsExpected")}
            aria-invalid={Boolean(errors.seatsExpected?.length)}
            aria-describedby={describedBy("seatsExpected")}
            className={inputClass}
          />,
        )}
      </div>
      <div>
        <label className="flex items-start gap-2 text-sm">
          <input
            type="checkbox"
            name="acceptTerms"
            id="acceptTerms"
            className="mt-1"
            aria-invalid={Boolean(errors.acceptTerms?.length)}
            aria-describedby={describedBy("acceptTerms")}
            defaultChecked={value("acceptTerms") === "on"}
          />
          <span>
            I accept the terms of service and confirm that I may set up this subscription for my organisation.
          </span>
        </label>
        {errors.acceptTerms?.length ? (
          <p id="acceptTerms-error" className="mt-1 text-sm text-red-700">
            {errors.acceptTerms[0]}
          </p>
        ) : null}
      </div>
      <div className="flex items-center gap-4">
        <SubmitButton pendingText={text.pending}>{text.submit}</SubmitButton>
        <p className="text-xs text-slate-500">{text.note}</p>
      </div>
    </form>
  );
}
