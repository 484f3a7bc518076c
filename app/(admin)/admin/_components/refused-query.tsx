import Link from "next/link";
import { getLocale, getTranslations } from "next-intl/server";
import type { QueryProblem } from "@/lib/admin/query-text";
import { joinSentences } from "./format";

/** A console list whose search was refused (text the database cannot take): the reason, no results. */
export async function RefusedQuery({
  title,
  problems,
  clearHref,
}: {
  title: string;
  problems: QueryProblem[];
  clearHref: string;
}) {
  const [t, locale] = await Promise.all([getTranslations("admin.refused"), getLocale()]);
  // The search box's name (q, offer, id…) as the form labels it; an unexpected one by its URL name.
  const field = (param: string) =>
    t.has(`fields.${param}` as "fields.q") ? t(`fields.${param}` as "fields.q") : param;
  const reason = joinSentences(
    locale,
    problems.map((problem) => t(`problems.${problem.problem}`, { field: field(problem.param) })),
  );
  return (
    <section aria-labelledby="refused-title">
      <h1 id="refused-title" className="text-2xl font-semibold">
        {title}
      </h1>
      <p role="alert" data-testid="query-refused" className="mt-4 rounded-md bg-red-50 p-3 text-sm text-red-800">
        {joinSentences(locale, [t("notRun"), reason])}
      </p>
      <p className="mt-3 text-sm text-slate-600">
        {t("noResults")}{" "}
        <Link href={clearHref} className="text-brand-700 underline">
          {t("newSearch")}
        </Link>
      </p>
    </section>
  );
}
