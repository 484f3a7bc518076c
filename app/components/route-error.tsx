"use client";

import Link from "next/link";
import { useAlertTexts } from "./alert-texts";
import { ErrorPanel } from "./error-panel";

/**
 * What a segment's error.tsx shows: plain words, a retry and a way back. Next.js hides a server
 * error's message in production and gives its digest instead, which is also on the server's log
 * line: that is the reference the buyer can quote.
 */
export function RouteError({
  error,
  retry,
  back,
}: {
  error: unknown;
  retry: () => void;
  back?: { href: string; label: string };
}) {
  const t = useAlertTexts();
  const digest =
    typeof error === "object" && error !== null && typeof (error as { digest?: unknown }).digest === "string"
      ? (error as { digest: string }).digest
      : undefined;
  return (
    <ErrorPanel title={t.routeError.title} message={t.routeError.message} reference={digest} labels={t}>
      {/* retry() asks the server for the segment again; reset() would only re-render what failed. */}
      <button
        type="button"
        onClick={retry}
        className="rounded-md bg-brand-600 px-4 py-2 text-sm font-medium text-white hover:bg-brand-700"
      >
        {t.tryAgain}
      </button>
      {back ? (
        <Link
          href={back.href}
          className="rounded-md border border-slate-300 px-4 py-2 text-sm font-medium text-slate-700 hover:bg-slate-50"
        >
          {back.label}
        </Link>
      ) : null}
    </ErrorPanel>
  );
}
