"use client";

import { useLocale, useTranslations } from "next-intl";
import { useActionState, type ReactNode } from "react";
import { SubmitButton } from "@/app/components/buttons";

export interface AdminActionState {
  error?: string;
  ok?: string;
}
type Action = (state: AdminActionState, formData: FormData) => Promise<AdminActionState>;

/**
 * One console action behind an explicit confirmation: the form opens from its summary, and the
 * server refuses it unless the confirmation box was ticked (a forged post without it changes nothing).
 */
export function AdminActionForm({
  action,
  label,
  description,
  children,
  danger,
}: {
  action: Action;
  label: string;
  description: string;
  children?: ReactNode;
  danger?: boolean;
}) {
  const [state, dispatch] = useActionState(action, {});
  const t = useTranslations("adminClient.actionForm");
  // "Yes, cancel this subscription": English puts the action in lower case inside the sentence.
  const inSentence = useLocale() === "en" ? label.toLowerCase() : label;
  return (
    <details className="rounded-md border border-slate-200 bg-white p-3" open={Boolean(state.error || state.ok)}>
      <summary className="cursor-pointer font-medium text-brand-700">{label}…</summary>
      <form action={dispatch} className="mt-3 space-y-3">
        <p className="text-sm text-slate-700">{description}</p>
        {children}
        <label className="flex items-start gap-2 text-sm">
          <input type="checkbox" name="confirm" value="yes" required className="mt-1" />
          <span>{t("confirmBox", { action: inSentence })}</span>
        </label>
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
        <SubmitButton
          pendingText={t("working")}
          className={`inline-flex items-center gap-2 rounded-md px-4 py-2 text-sm font-medium text-white disabled:opacity-70 ${danger ? "bg-red-700 hover:bg-red-800" : "bg-brand-600 hover:bg-brand-700"}`}
        >
          {t("confirm", { action: label })}
        </SubmitButton>
      </form>
    </details>
  );
}
