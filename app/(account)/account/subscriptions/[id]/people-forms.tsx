"use client";

import { useActionState, useState } from "react";
import { SubmitButton } from "@/app/components/buttons";
import { FormAlert } from "@/app/components/form-alert";
import { formatDay } from "@/app/components/format";
import type { PeopleFormState } from "./people-actions";

type Action = (state: PeopleFormState, formData: FormData) => Promise<PeopleFormState>;

export function InviteForm({ action }: { action: Action }) {
  const [state, dispatch] = useActionState(action, {});
  const [copied, setCopied] = useState(false);
  return (
    <form action={dispatch} className="space-y-3">
      <SubmitButton
        pendingText="Creating a link…"
        className="rounded-md border border-brand-600 px-4 py-2 text-sm font-medium text-brand-700 hover:bg-brand-50 disabled:opacity-70"
      >
        Create an invitation link
      </SubmitButton>
      {state.link ? (
        <div role="status" className="rounded-md border border-emerald-200 bg-emerald-50 p-3 text-sm text-emerald-950">
          <label htmlFor="invite-link" className="font-medium">
            Send this link to your colleague. It works once, for an account of your organisation, until{" "}
            {formatDay(state.expiresAt)}. It is shown only now.
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
              {copied ? "Copied" : "Copy"}
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
