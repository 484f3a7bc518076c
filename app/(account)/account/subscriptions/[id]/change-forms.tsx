"use client";

import { useFormatter, useTranslations } from "next-intl";
import { useActionState, useState, type ReactNode } from "react";
import { SubmitButton } from "@/app/components/buttons";
import { FormAlert } from "@/app/components/form-alert";
import { validateSeatCount } from "@/lib/subscriptions/change-rules";
import { seatRefusalWords } from "@/lib/subscriptions/subscription-words";
import type { ChangeFormState } from "./actions";

type Action = (state: ChangeFormState, formData: FormData) => Promise<ChangeFormState>;

export interface PlanChoice {
  planId: string;
  name: string;
  description: string | null;
  /** Per user or flat, seat range, term and price in one line (planOutlineWords), in the reader's language. */
  summary: string;
  current: boolean;
}

const reviewUrl = (subscriptionId: string) => `/account/subscriptions/${encodeURIComponent(subscriptionId)}/change`;

/** Choosing a plan leads to the review page (a GET: nothing is changed until the customer confirms there). */
export function ChangePlanForm({ subscriptionId, plans }: { subscriptionId: string; plans: PlanChoice[] }) {
  const t = useTranslations("accountForms.plan");
  return (
    <form action={reviewUrl(subscriptionId)} method="get" aria-labelledby="plan-title" className="space-y-3">
      <fieldset className="min-w-0">
        <legend id="plan-title" className="text-lg font-semibold">
          {t("title")}
        </legend>
        <p className="text-sm text-slate-600">{t("hint")}</p>
        <div className="mt-3 space-y-2">
          {plans.map((plan) => (
            <label
              key={plan.planId}
              className={`flex cursor-pointer items-start gap-3 rounded-md border p-3 ${plan.current ? "border-brand-600 bg-brand-50" : "border-slate-200"}`}
            >
              <input
                type="radio"
                name="plan"
                value={plan.planId}
                defaultChecked={plan.current}
                disabled={plan.current}
                required
                className="mt-1"
              />
              <span className="min-w-0 break-words">
                <span className="font-medium">{plan.name}</span>
                {plan.current ? (
                  <span className="ml-2 text-xs whitespace-nowrap text-brand-700">{t("current")}</span>
                ) : null}
                {plan.description ? <span className="block text-sm text-slate-600">{plan.description}</span> : null}
                <span className="block text-xs text-slate-500">{plan.summary}</span>
              </span>
            </label>
          ))}
        </div>
      </fieldset>
      <button
        type="submit"
        className="inline-flex items-center gap-2 rounded-md bg-brand-600 px-5 py-2.5 font-medium text-white shadow-sm hover:bg-brand-700"
      >
        {t("review")}
      </button>
    </form>
  );
}

/** A seat count leads to the review page; the plan's limits are checked in the browser first (and again on the server). */
export function ChangeSeatsForm({
  subscriptionId,
  current,
  min,
  max,
}: {
  subscriptionId: string;
  current: number;
  min: number;
  max: number;
}) {
  const [error, setError] = useState<string | undefined>();
  const t = useTranslations("accountForms.seats");
  const words = useTranslations();
  const format = useFormatter();
  return (
    <form
      action={reviewUrl(subscriptionId)}
      method="get"
      noValidate
      onSubmit={(event) => {
        const result = validateSeatCount(
          new FormData(event.currentTarget).get("seats"),
          { isPricePerSeat: true, minQuantity: min, maxQuantity: max },
          current,
        );
        if (!result.ok) {
          event.preventDefault();
          setError(seatRefusalWords(words, result.refusal));
        } else setError(undefined);
      }}
      className="space-y-3"
      aria-labelledby="seats-title"
    >
      <h2 id="seats-title" className="text-lg font-semibold">
        {t("title")}
      </h2>
      <div>
        <label htmlFor="quantity" className="block text-sm font-medium">
          {t("label")}
        </label>
        <input
          id="quantity"
          name="seats"
          type="number"
          inputMode="numeric"
          min={min}
          max={max}
          step={1}
          defaultValue={current}
          aria-describedby="quantity-hint quantity-error"
          aria-invalid={Boolean(error)}
          className="mt-1 w-40 rounded-md border border-slate-300 px-3 py-2"
        />
        <p id="quantity-hint" className="mt-1 text-xs text-slate-500">
          {t("hint", { min: format.number(min), max: format.number(max), current: format.number(current) })}
        </p>
        {error ? (
          <p id="quantity-error" className="mt-1 text-sm text-red-700">
            {error}
          </p>
        ) : null}
      </div>
      <button
        type="submit"
        className="inline-flex items-center gap-2 rounded-md bg-brand-600 px-5 py-2.5 font-medium text-white shadow-sm hover:bg-brand-700"
      >
        {t("review")}
      </button>
    </form>
  );
}

/** The review page's confirmation: sends the change with the consequences the customer saw. */
export function ConfirmChangeForm({
  action,
  terms,
  label,
  children,
}: {
  action: Action;
  /** The reviewed consequences (ReviewedTerms as JSON): the server refuses if they are not what the change does now. */
  terms: string;
  label: string;
  /** The way out, next to the button. */
  children?: ReactNode;
}) {
  const [state, dispatch] = useActionState(action, {});
  const t = useTranslations("accountForms");
  return (
    <form action={dispatch} className="space-y-3">
      <input type="hidden" name="terms" value={terms} />
      <FormAlert error={state.error} />
      <div className="flex flex-col gap-3 sm:flex-row sm:items-center sm:justify-between">
        <SubmitButton pendingText={t("sending")}>{label}</SubmitButton>
        {children}
      </div>
    </form>
  );
}

export function CancelForm({ action, name }: { action: Action; name: string }) {
  const [state, dispatch] = useActionState(action, {});
  const t = useTranslations("accountForms");
  return (
    <form action={dispatch} className="space-y-4">
      <label className="flex items-start gap-2">
        <input type="checkbox" name="confirm" value="cancel" className="mt-1" />
        <span className="min-w-0 break-words">
          {t.rich("cancel.confirm", { name, b: (chunks) => <strong>{chunks}</strong> })}
        </span>
      </label>
      {state.fieldErrors?.confirm ? <p className="text-sm text-red-700">{state.fieldErrors.confirm[0]}</p> : null}
      <FormAlert error={state.error} className="mt-3" />
      <SubmitButton
        pendingText={t("sending")}
        className="inline-flex items-center gap-2 rounded-md bg-red-700 px-5 py-2.5 font-medium text-white hover:bg-red-800 disabled:opacity-70"
      >
        {t("cancel.button")}
      </SubmitButton>
    </form>
  );
}
