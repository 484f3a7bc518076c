import type { BuyerActionError } from "@/lib/auth/run-buyer-action";
import { useAlertTexts } from "./alert-texts";

/** Why a buyer's form did not go through (runBuyerAction's answer), with the reference to quote. */
export function FormAlert({ error, className = "" }: { error?: BuyerActionError; className?: string }) {
  const t = useAlertTexts();
  if (!error) return null;
  return (
    <div role="alert" className={`rounded-md border border-red-200 bg-red-50 p-3 text-sm ${className}`}>
      <p className="font-semibold text-red-800">{error.title}</p>
      <p className="mt-1 text-red-900">{error.message}</p>
      {error.reference ? (
        <p className="mt-1 text-red-900">
          {t.reference} <code data-testid="error-reference">{error.reference}</code>
        </p>
      ) : null}
    </div>
  );
}
