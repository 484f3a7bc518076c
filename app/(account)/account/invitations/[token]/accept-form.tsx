"use client";

import { useActionState } from "react";
import { SubmitButton } from "@/app/components/buttons";
import type { AcceptState } from "./actions";

export function AcceptForm({ action }: { action: (state: AcceptState) => Promise<AcceptState> }) {
  const [state, dispatch] = useActionState(action, {});
  return (
    <form action={dispatch} className="mt-6 space-y-3">
      <SubmitButton pendingText="Accepting…">Accept the invitation</SubmitButton>
      {state.error ? (
        <p role="alert" className="rounded-md bg-red-50 p-3 text-sm text-red-800">
          {state.error}
        </p>
      ) : null}
    </form>
  );
}
