"use client";

import { useFormatter, useTranslations } from "next-intl";
import { useActionState, useState } from "react";
import { SubmitButton } from "@/app/components/buttons";
import { FormAlert } from "@/app/components/form-alert";
import { formatDay } from "@/app/components/format";
import type { PeopleFormState } from "./people-actions";

type Action = (state: PeopleFormState, formData: FormData) => Promise<PeopleFormState>;

export function InviteForm({ action }: { action: Action }) {
  const [state, dispatch] = useActionState(action, {});
  const [copied, setCopied] = useState(false);
  const t = useTranslations("accountForms.invite");
  const format = useFormatter();
  return (
    <form action={dispatch} className="space-y-3">
      <div className="max-w-md space-y-1">
        <label htmlFor="invite-email" className="block text-sm font-medium text-slate-800">
          {t("emailLabel")} <span className="font-normal text-slate-600">{t("optional")}</span>
        </label>
        <input
          id="invite-email"
          name="emailTo"
          type="email"
          autoComplete="off"
          maxLength={320}
          aria-describedby="invite-email-hint"
          aria-invalid={state.fieldErrors?.emailTo ? true : undefined}
          className="w-full rounded-md border border-slate-300 px-3 py-2 text-sm"
        />
        <p id="invite-email-hint" className="text-xs text-slate-600">
          {t("emailHint")}
        </p>
        {state.fieldErrors?.emailTo ? (
          <p className="text-sm text-red-700">{state.fieldErrors.emailTo.join(" ")}</p>
        ) : null}
      </div>
      <SubmitButton
        pendingText={t("creating")}
        className="rounded-md border border-brand-600 px-4 py-2 text-sm font-medium text-brand-700 hover:bg-brand-50 disabled:opacity-70"
      >
        {t("create")}
      </SubmitButton>
      {state.link ? (
        <div role="status" className="rounded-md border border-emerald-200 bg-emerald-50 p-3 text-sm text-emerald-950">
          <label htmlFor="invite-link" className="font-medium">
            {state.emailedTo
              ? t("createdEmailed", { email: state.emailedTo, day: formatDay(format, state.expiresAt) })
              : t("created", { day: formatDay(format, state.expiresAt) })}
          </label>
          <div className="mt-2 flex flex-wrap gap-2">
            <input
              id="invite-link"
              readOnly
              value={state.link}
              data-testid="invite-link"
              className="min-w-0 flex-1 rounded-md border border-slate-300 bg-white px-2 py-1 font-mono text-xs"
              onFocus={(event) => event.currentTarget.select()}
            />
            <button
              type="button"
              className="rounded-md border border-slate-300 bg-white px-3 py-1 text-sm"
              onClick={() => {
                void navigator.clipboard?.writeText(state.link ?? "").then(() => setCopied(true));
              }}
            >
              {copied ? t("copied") : t("copy")}
            </button>
          </div>
        </div>
      ) : null}
      <FormAlert error={state.error} className="mt-2" />
    </form>
  );
}

export function RowActionForm({
  action,
  name,
  value,
  label,
  pendingText,
}: {
  action: Action;
  name: string;
  value: string;
  label: string;
  pendingText: string;
}) {
  const [state, dispatch] = useActionState(action, {});
  return (
    <form action={dispatch}>
      <input type="hidden" name={name} value={value} />
      <SubmitButton
        pendingText={pendingText}
        className="rounded-md border border-slate-300 px-3 py-1 text-sm text-slate-700 hover:bg-slate-50 disabled:opacity-70"
      >
        {label}
      </SubmitButton>
      <FormAlert error={state.error} className="mt-2" />
    </form>
  );
}
