import Link from "next/link";
import type { ReactNode } from "react";
import type { AlertTexts } from "./alert-texts";

/**
 * What went wrong, in plain words, with the reference to quote and a way home. Rendered by server
 * pages and by the client error boundaries (./route-error.tsx), so its own words (`labels`, the
 * "alerts" namespace's) are given by the caller: a server page translates them, a client boundary
 * reads the plain strings the root layout hands to the browser (./alert-texts.tsx).
 */
export function ErrorPanel({
  title,
  message,
  reference,
  labels,
  children,
}: {
  title: string;
  message: string;
  reference?: string;
  labels: Pick<AlertTexts, "reference" | "homePage">;
  children?: ReactNode;
}) {
  return (
    <section
      role="alert"
      aria-labelledby="error-title"
      className="rounded-lg border border-red-200 bg-white p-6 shadow-sm"
    >
      <h1 id="error-title" className="text-xl font-semibold text-red-800 [word-break:auto-phrase]">
        {title}
      </h1>
      <p className="mt-2 text-slate-700">{message}</p>
      {reference ? (
        <p className="mt-3 text-sm text-slate-500">
          {labels.reference}{" "}
          <code className="rounded bg-slate-100 px-1" data-testid="error-reference">
            {reference}
          </code>
        </p>
      ) : null}
      <div className="mt-5 flex flex-wrap gap-3">
        {children}
        <Link
          href="/"
          className="rounded-md border border-slate-300 px-4 py-2 text-sm font-medium text-slate-700 hover:bg-slate-50"
        >
          {labels.homePage}
        </Link>
      </div>
    </section>
  );
}
