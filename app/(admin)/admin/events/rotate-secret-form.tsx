"use client";

import { useTranslations } from "next-intl";
import { useActionState } from "react";
import { SubmitButton } from "@/app/components/buttons";
import type { RotateSecretState } from "./actions";
import { SecretPanel } from "./secret-panel";

/** Rotate an endpoint's secret behind a confirmation; the answer shows the new secret once. */
export function RotateSecretForm({
  action,
  defaultOverlapHours,
}: {
  action: (state: RotateSecretState, formData: FormData) => Promise<RotateSecretState>;
  defaultOverlapHours: number;
}) {
  const [state, dispatch] = useActionState<RotateSecretState, FormData>(action, {});
  const t = useTranslations("adminClient.rotateSecret");
  return (
    <details className="rounded-md border border-slate-200 bg-white p-3" open={Boolean(state.error || state.secret)}>
      <summary className="cursor-pointer font-medium text-brand-700">{t("open")}</summary>
      {state.secret ? (
        <div className="mt-3">
          <SecretPanel title={t("rotated")} secret={state.secret}>
            <p className="mt-2 text-sm text-emerald-900">{state.ok}</p>
          </SecretPanel>
        </div>
      ) : null}
      <form action={dispatch} className="mt-3 space-y-3">
        <p className="text-sm text-slate-700">{t.rich("explain", { code: (chunks) => <code>{chunks}</code> })}</p>
        <div>
          <label htmlFor="overlap-hours" className="block text-sm font-medium">
            {t("overlap")}
          </label>
          <input
            id="overlap-hours"
            name="overlapHours"
            type="number"
            min={0}
            max={720}
            step="any"
            required
            defaultValue={defaultOverlapHours}
            aria-describedby="overlap-help"
            className="mt-1 block w-32 rounded-md border border-slate-300 px-3 py-2 text-sm"
          />
          <p id="overlap-help" className="mt-1 text-xs text-slate-600">
            {t("overlapHelp")}
          </p>
        </div>
        <label className="flex items-start gap-2 text-sm">
          <input type="checkbox" name="confirm" value="yes" required className="mt-1" />
          <span>{t("confirmBox")}</span>
        </label>
        {state.error ? (
          <p role="alert" className="rounded-md bg-red-50 p-3 text-sm text-red-800">
            {state.error}
          </p>
        ) : null}
        <SubmitButton
          pendingText={t("rotating")}
          className="inline-flex items-center gap-2 rounded-md bg-brand-600 px-4 py-2 text-sm font-medium text-white hover:bg-brand-700 disabled:opacity-70"
        >
          {t("confirm")}
        </SubmitButton>
      </form>
    </details>
  );
}
