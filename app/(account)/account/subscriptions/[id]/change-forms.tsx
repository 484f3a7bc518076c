"use client";

import { useActionState, useState } from "react";
import { SubmitButton } from "@/app/components/buttons";
import { FormAlert } from "@/app/components/form-alert";
import { validateSeatCount } from "@/lib/subscriptions/change-rules";
import type { ChangeFormState } from "./actions";

type Action = (state: ChangeFormState, formData: FormData) => Promise<ChangeFormState>;

export interface PlanChoice {
  planId: string;
  name: string;
  description: string | null;
  isPricePerSeat: boolean;
  current: boolean;
}

export function ChangePlanForm({ action, plans }: { action: Action; plans: PlanChoice[] }) {
  const [state, dispatch] = useActionState(action, {});
  return (
    <form action={dispatch} aria-labelledby="plan-title" className="space-y-3">
      <fieldset>
        <legend id="plan-title" className="text-lg font-semibold">
          Change plan
        </legend>
        <p className="text-sm text-slate-600">Only the plans Microsoft offers for this subscription are listed.</p>
        <div className="mt-3 space-y-2">
          {plans.map((plan) => (
            <label
              key={plan.planId}
              className={`flex cursor-pointer items-start gap-3 rounded-md border p-3 ${plan.current ? "border-brand-600 bg-brand-50" : "border-slate-200"}`}
            >
              <input
                type="radio"
                name="planId"
                value={plan.planId}
                defaultChecked={plan.current}
                disabled={plan.current}
                className="mt-1"
              />
              <span>
                <span className="font-medium">{plan.name}</span>
                {plan.current ? <span className="ml-2 text-xs text-brand-700">(current plan)</span> : null}
                {plan.description ? <span className="block text-sm text-slate-600">{plan.description}</span> : null}
                <span className="block text-xs text-slate-500">
                  {plan.isPricePerSeat ? "Priced per user" : "Flat price"}
                </span>
              </span>
            </label>
          ))}
        </div>
      </fieldset>
      {state.fieldErrors?.planId ? <p className="text-sm text-red-700">{state.fieldErrors.planId[0]}</p> : null}
      <FormAlert error={state.error} className="mt-3" />
      <SubmitButton pendingText="Sending to Microsoft…">Change plan</SubmitButton>
    </form>
  );
}

export function ChangeSeatsForm({
  action,
  current,
  min,
  max,
}: {
  action: Action;
  current: number;
  min: number;
  max: number;
}) {
  const [state, dispatch] = useActionState(action, {});
  const [clientError, setClientError] = useState<string | undefined>();
  const error = clientError ?? state.fieldErrors?.quantity?.[0];
  return (
    <form
      action={dispatch}
      noValidate
      onSubmit={(event) => {
        const result = validateSeatCount(
          new FormData(event.currentTarget).get("quantity"),
          { isPricePerSeat: true, minQuantity: min, maxQuantity: max },
          current,
        );
        if (!result.ok) {
          event.preventDefault();
          setClientError(result.message);
        } else setClientError(undefined);
      }}
      className="space-y-3"
      aria-labelledby="seats-title"
    >
      <h2 id="seats-title" className="text-lg font-semibold">
        Change seats
      </h2>
      <div>
        <label htmlFor="quantity" className="block text-sm font-medium">
          Number of seats
        </label>
        <input
          id="quantity"
          name="quantity"
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
          Between {min} and {max} on this plan. You have {current} now.
        </p>
        {error ? (
          <p id="quantity-error" className="mt-1 text-sm text-red-700">
            {error}
          </p>
        ) : null}
      </div>
      <FormAlert error={state.error} className="mt-3" />
      <SubmitButton pendingText="Sending to Microsoft…">Change seats</SubmitButton>
    </form>
  );
}

export function CancelForm({ action, name }: { action: Action; name: string }) {
  const [state, dispatch] = useActionState(action, {});
  return (
    <form action={dispatch} className="space-y-4">
      <label className="flex items-start gap-2">
        <input type="checkbox" name="confirm" value="cancel" className="mt-1" />
        <span>
          I understand that cancelling <strong>{name}</strong> ends access for everyone in my organisation.
        </span>
      </label>
      {state.fieldErrors?.confirm ? <p className="text-sm text-red-700">{state.fieldErrors.confirm[0]}</p> : null}
      <FormAlert error={state.error} className="mt-3" />
      <SubmitButton
        pendingText="Sending to Microsoft…"
        className="inline-flex items-center gap-2 rounded-md bg-red-700 px-5 py-2.5 font-medium text-white hover:bg-red-800 disabled:opacity-70"
      >
        Cancel subscription
      </SubmitButton>
    </form>
  );
}
