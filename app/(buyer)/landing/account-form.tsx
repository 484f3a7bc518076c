"use client";

import { useActionState, useEffect, useMemo, useState, type ReactNode } from "react";
import { SubmitButton } from "@/app/components/buttons";
import { FormAlert } from "@/app/components/form-alert";
// Types only here: the schema's module (zod/mini) is loaded once the page is interactive, below.
import type { AccountConfigValue, AccountFormProblemTexts } from "@/lib/catalog/account-config-schema";
import type { AccountField } from "@/lib/catalog/account-fields";
import { activateFromLanding, finishSetup, type ActivationFormState } from "./actions";

/** The words the form shows, in the reader's language (built by ./account-setup-form.tsx on the server). */
export interface AccountFormText {
  title: string;
  submit: string;
  pending: string;
  note: string;
  optional: string;
  choose: string;
  notNow: string;
  /** "I accept the terms of service (and privacy statement) of <offer>…", with the offer's links. */
  acceptTerms: ReactNode;
}

interface Props {
  subscriptionId: string;
  /** The catalog's fields for the subscription's offer and plan, in the reader's language. */
  fields: AccountField[];
  /** Values to start from: what was saved before, the signed-in user's name and email, the fields' defaults. */
  defaults: Record<string, AccountConfigValue | undefined>;
  /** What to say about each problem with a field (the same texts the server's check uses). */
  problems: AccountFormProblemTexts;
  text: AccountFormText;
  /**
   * `activate`: a subscription waiting for activation (the classic landing page: save, then Activate).
   * `finish`: one Microsoft already activated (an auto-activated plan): save and finish the setup, no Activate.
   */
  mode: "activate" | "finish";
}

type SchemaModule = typeof import("@/lib/catalog/account-config-schema");

/** The account configuration's schema module, once loaded (null before). */
function useSchemaModule(): SchemaModule | null {
  const [loaded, setLoaded] = useState<SchemaModule | null>(null);
  useEffect(() => {
    let mounted = true;
    import("@/lib/catalog/account-config-schema").then(
      (module) => mounted && setLoaded(module),
      () => undefined, // not reachable (offline): the server action still checks
    );
    return () => {
      mounted = false;
    };
  }, []);
  return loaded;
}

const inputClass =
  "mt-1 block w-full rounded-md border border-slate-300 px-3 py-2 shadow-sm focus:border-brand-600 aria-[invalid=true]:border-red-600";

/** The account form itself: checks in the browser first, then posts to the server action (which checks again). */
export function AccountForm({ subscriptionId, fields, defaults, problems, text, mode }: Props) {
  const [state, dispatch] = useActionState<ActivationFormState, FormData>(
    mode === "finish" ? finishSetup : activateFromLanding,
    {},
  );
  // The same schema the server checks with (lib/subscriptions/account-config.ts), from a chunk of
  // its own fetched right after hydration: zod stays out of the landing's first-load JavaScript
  // (bench/first-load-js.ts). Until it arrives (or without JavaScript) the server action checks alone.
  const schemaModule = useSchemaModule();
  const check = useMemo(
    () => schemaModule && schemaModule.accountFormCheck(fields, problems),
    [schemaModule, fields, problems],
  );
  const [clientErrors, setClientErrors] = useState<Record<string, string[]> | undefined>();
  const errors = clientErrors ?? state.fieldErrors ?? {};

  // Validated in the browser first; without JavaScript the form still posts to the server action,
  // which validates again.
  function validateBeforeSubmit(event: React.FormEvent<HTMLFormElement>) {
    const fieldErrors = check?.(new FormData(event.currentTarget));
    if (fieldErrors) {
      event.preventDefault();
      setClientErrors(fieldErrors);
      return;
    }
    setClientErrors(undefined);
  }

  // A field's message goes once the buyer changes it; the next submit checks everything again.
  function forgetError(event: React.FormEvent<HTMLFormElement>) {
    const name = (event.target as HTMLInputElement).name;
    if (!errors[name]?.length) return;
    const { [name]: _corrected, ...rest } = errors;
    setClientErrors(rest);
  }

  /** What the input shows: typed before (kept across a failed submit), else the default. */
  const initial = (name: string): string => {
    const typed = state.values?.[name];
    if (typed !== undefined) return typed;
    const value = defaults[name];
    return value === undefined || typeof value === "boolean" ? "" : String(value);
  };
  const initiallyChecked = (name: string) =>
    state.values ? state.values[name] === "on" : defaults[name] === true || defaults[name] === "on";

  const describedBy = (field: { name: string; helpText?: string }) =>
    [field.helpText ? `${field.name}-hint` : "", errors[field.name]?.length ? `${field.name}-error` : ""]
      .filter(Boolean)
      .join(" ") || undefined;
  const errorText = (name: string) =>
    errors[name]?.length ? (
      <p id={`${name}-error`} className="mt-1 text-sm text-red-700">
        {errors[name][0]}
      </p>
    ) : null;
  const hint = (field: AccountField) =>
    field.helpText ? (
      <p id={`${field.name}-hint`} className="mt-1 text-xs text-slate-500">
        {field.helpText}
      </p>
    ) : null;

  function input(field: Exclude<AccountField, { type: "checkbox" }>) {
    const common = {
      id: field.name,
      name: field.name,
      required: field.required,
      "aria-invalid": Boolean(errors[field.name]?.length),
      "aria-describedby": describedBy(field),
      className: inputClass,
    };
    switch (field.type) {
      case "select":
        return (
          <select {...common} defaultValue={initial(field.name)}>
            {field.required && field.default !== undefined ? null : (
              <option value="">{field.required ? text.choose : text.notNow}</option>
            )}
            {field.options.map((option) => (
              <option key={option.value} value={option.value}>
                {option.label}
              </option>
            ))}
          </select>
        );
      case "number":
        return (
          <input
            {...common}
            type="number"
            inputMode={field.integer ? "numeric" : "decimal"}
            min={field.min}
            max={field.max}
            step={field.integer ? 1 : "any"}
            defaultValue={initial(field.name)}
          />
        );
      case "text":
        return (
          <input
            {...common}
            type="text"
            maxLength={field.maxLength}
            minLength={field.minLength}
            placeholder={field.placeholder}
            autoComplete={field.autoComplete}
            defaultValue={initial(field.name)}
          />
        );
      case "email":
        return (
          <input
            {...common}
            type="email"
            maxLength={254}
            placeholder={field.placeholder}
            autoComplete={field.autoComplete ?? "email"}
            defaultValue={initial(field.name)}
          />
        );
      case "url":
        return (
          <input
            {...common}
            type="url"
            maxLength={2000}
            placeholder={field.placeholder}
            autoComplete="url"
            defaultValue={initial(field.name)}
          />
        );
    }
  }

  const boxes = fields.filter((field) => field.type === "checkbox");
  const inputs = fields.filter((field) => field.type !== "checkbox");

  return (
    <form
      action={dispatch}
      onSubmit={validateBeforeSubmit}
      onChange={forgetError}
      noValidate
      className="space-y-5"
      aria-labelledby="setup-title"
      // "ready" once the browser checks the form itself (the schema's chunk has arrived).
      data-browser-check={check ? "ready" : "pending"}
    >
      <h2 id="setup-title" className="text-lg font-semibold [word-break:auto-phrase]">
        {text.title}
      </h2>
      <input type="hidden" name="subscriptionId" value={subscriptionId} />
      <FormAlert error={state.error} />
      <div className="grid gap-5 sm:grid-cols-2">
        {inputs.map((field) => (
          <div key={field.name} data-testid={`account-field-${field.name}`}>
            <label htmlFor={field.name} className="block text-sm font-medium text-slate-800">
              {field.label}
              {field.required ? null : <span className="font-normal text-slate-500">{text.optional}</span>}
            </label>
            {input(field)}
            {hint(field)}
            {errorText(field.name)}
          </div>
        ))}
      </div>
      {boxes.map((field) => (
        <div key={field.name} data-testid={`account-field-${field.name}`}>
          <label className="flex items-start gap-2 text-sm">
            <input
              type="checkbox"
              name={field.name}
              id={field.name}
              className="mt-1"
              required={field.required}
              aria-invalid={Boolean(errors[field.name]?.length)}
              aria-describedby={describedBy(field)}
              defaultChecked={initiallyChecked(field.name)}
            />
            <span>{field.label}</span>
          </label>
          {hint(field)}
          {errorText(field.name)}
        </div>
      ))}
      <div>
        <label className="flex items-start gap-2 text-sm">
          <input
            type="checkbox"
            name="acceptTerms"
            id="acceptTerms"
            className="mt-1"
            required
            aria-invalid={Boolean(errors.acceptTerms?.length)}
            aria-describedby={errors.acceptTerms?.length ? "acceptTerms-error" : undefined}
            defaultChecked={state.values?.acceptTerms === "on"}
          />
          <span>{text.acceptTerms}</span>
        </label>
        {errorText("acceptTerms")}
      </div>
      <div className="flex flex-col items-start gap-3 sm:flex-row sm:items-center sm:gap-4">
        <SubmitButton pendingText={text.pending}>{text.submit}</SubmitButton>
        <p className="text-xs text-slate-500">{text.note}</p>
      </div>
    </form>
  );
}
