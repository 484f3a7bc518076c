import Link from "next/link";

/** Previous/next links that keep the current filters (hrefFor builds the URL of a page). */
export function Pager({
  page,
  lastPage,
  hrefFor,
  note,
}: {
  page: number;
  lastPage: number;
  hrefFor: (page: number) => string;
  note?: string;
}) {
  return (
    <nav aria-label="Pages" className="mt-4 flex flex-wrap items-center gap-3 text-sm">
      {page > 1 ? (
        <Link
          rel="prev"
          href={hrefFor(page - 1)}
          className="rounded-md border border-slate-300 bg-white px-3 py-1.5 text-brand-700"
        >
          ← Previous
        </Link>
      ) : null}
      <span aria-current="page">
        Page {page} of {lastPage}
      </span>
      {page < lastPage ? (
        <Link
          rel="next"
          href={hrefFor(page + 1)}
          className="rounded-md border border-slate-300 bg-white px-3 py-1.5 text-brand-700"
        >
          Next →
        </Link>
      ) : null}
      {note ? <span className="text-slate-500">{note}</span> : null}
    </nav>
  );
}
