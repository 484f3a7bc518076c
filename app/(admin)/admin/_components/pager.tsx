import Link from "next/link";
import { getFormatter, getTranslations } from "next-intl/server";

/** Previous/next links that keep the current filters (hrefFor builds the URL of a page). */
export async function Pager({
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
  const [t, format] = await Promise.all([getTranslations("admin.pager"), getFormatter()]);
  return (
    <nav aria-label={t("label")} className="mt-4 flex flex-wrap items-center gap-3 text-sm">
      {page > 1 ? (
        <Link
          rel="prev"
          href={hrefFor(page - 1)}
          className="rounded-md border border-slate-300 bg-white px-3 py-1.5 text-brand-700"
        >
          {t("previous")}
        </Link>
      ) : null}
      <span aria-current="page">{t("position", { page: format.number(page), lastPage: format.number(lastPage) })}</span>
      {page < lastPage ? (
        <Link
          rel="next"
          href={hrefFor(page + 1)}
          className="rounded-md border border-slate-300 bg-white px-3 py-1.5 text-brand-700"
        >
          {t("next")}
        </Link>
      ) : null}
      {note ? <span className="text-slate-500">{note}</span> : null}
    </nav>
  );
}
