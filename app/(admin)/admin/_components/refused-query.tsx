import Link from "next/link";

/** A console list whose search was refused (text the database cannot take): the reason, no results. */
export function RefusedQuery({ title, reason, clearHref }: { title: string; reason: string; clearHref: string }) {
  return (
    <section aria-labelledby="refused-title">
      <h1 id="refused-title" className="text-2xl font-semibold">
        {title}
      </h1>
      <p role="alert" data-testid="query-refused" className="mt-4 rounded-md bg-red-50 p-3 text-sm text-red-800">
        The search was not run. {reason}
      </p>
      <p className="mt-3 text-sm text-slate-600">
        No results shown.{" "}
        <Link href={clearHref} className="text-brand-700 underline">
          Start a new search
        </Link>
      </p>
    </section>
  );
}
