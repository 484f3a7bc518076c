import { getFormatter, getTranslations } from "next-intl/server";

/**
 * New subscriptions per day as an SVG bar chart (no chart library). Screen readers get the same
 * numbers as a table; the SVG itself is decorative. Days are UTC calendar days (the "day" format).
 */
export async function NewSubscriptionsChart({ series }: { series: Array<{ day: string; count: number }> }) {
  const [t, format] = await Promise.all([getTranslations("admin.dashboard.chart"), getFormatter()]);
  const dayLabel = (day: string) => format.dateTime(new Date(`${day}T00:00:00Z`), "day");
  const max = Math.max(1, ...series.map((point) => point.count));
  const width = 600;
  const height = 160;
  const bar = width / series.length;
  const total = series.reduce((sum, point) => sum + point.count, 0);
  return (
    <section aria-labelledby="new-title" className="rounded-lg border border-slate-200 bg-white p-4">
      <h2 id="new-title" className="text-lg font-semibold">
        {t("title", { days: series.length })}{" "}
        <span className="text-sm font-normal text-slate-600">{t("total", { count: format.number(total) })}</span>
      </h2>
      <svg
        viewBox={`0 0 ${width} ${height}`}
        className="mt-3 h-44 w-full"
        aria-hidden="true"
        preserveAspectRatio="none"
      >
        {series.map((point, index) => {
          const h = (point.count / max) * height;
          return (
            <rect
              key={point.day}
              x={index * bar + 2}
              y={height - h}
              width={Math.max(1, bar - 4)}
              height={h}
              className="fill-brand-600"
            >
              <title>{t("bar", { day: dayLabel(point.day), count: format.number(point.count) })}</title>
            </rect>
          );
        })}
        <line x1="0" y1={height} x2={width} y2={height} className="stroke-slate-300" />
      </svg>
      {/* Axis labels in HTML: text inside a stretched SVG would be distorted. */}
      <div aria-hidden="true" className="flex justify-between text-[11px] text-slate-500">
        <span>{series[0] ? dayLabel(series[0].day) : ""}</span>
        <span>{series.at(-1) ? dayLabel(series.at(-1)!.day) : ""}</span>
      </div>
      <details className="mt-2 text-sm">
        <summary className="cursor-pointer text-brand-700">{t("asTable")}</summary>
        <table className="mt-2 text-sm">
          <thead>
            <tr>
              <th scope="col" className="pr-4 text-left">
                {t("dayColumn")}
              </th>
              <th scope="col" className="text-right">
                {t("newColumn")}
              </th>
            </tr>
          </thead>
          <tbody>
            {series.map((point) => (
              <tr key={point.day}>
                <td className="pr-4">{dayLabel(point.day)}</td>
                <td className="text-right tabular-nums">{format.number(point.count)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </section>
  );
}
