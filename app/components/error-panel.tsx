import Link from "next/link";
import type { ReactNode } from "react";

export function ErrorPanel({
  title,
  message,
  reference,
  children,
}: {
  title: string;
  message: string;
  reference?: string;
  children?: ReactNode;
}) {
  return (
    <section
      role="alert"
      aria-labelledby="error-title"
      className="rounded-lg border border-red-200 bg-white p-6 shadow-sm"
    >
      <h1 id="error-title" className="text-xl font-semibold text-red-800">
        {title}
      </h1>
      <p className="mt-2 text-slate-700">{message}</p>
      {reference ? (
        <p className="mt-3 text-sm text-slate-500">
          Reference:{" "}
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
          Go to the home page
        </Link>
      </div>
    </section>
  );
}
