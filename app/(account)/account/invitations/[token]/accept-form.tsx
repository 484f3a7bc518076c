"use client";

import { useTranslations } from "next-intl";
import { useActionState } from "react";
import { SubmitButton } from "@/app/components/buttons";
import { FormAlert } from "@/app/components/form-alert";
import type { AcceptState } from "./actions";

export function AcceptForm({ action }: { action: (state: AcceptState) => Promise<AcceptState> }) {
  const [state, dispatch] = useActionState(action, {});
  const t = useTranslations("accountForms.invitation");
  return (
    <form action={dispatch} className="mt-6 space-y-3">
      <SubmitButton pendingText={t("accepting")}>{t("accept")}</SubmitButton>
      <FormAlert error={state.error} />
    </form>
  );
}
