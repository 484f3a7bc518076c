import { getFormatter, getTranslations } from "next-intl/server";
import type { HourPoint } from "@/lib/metering/get-subscription-usage";
import { formatQuantity, statusOf, usageStatusLabel } from "./usage-status";

const WIDTH = 720;
const HEIGHT = 160;

/**
 * Usage per hour of one dimension as an SVG bar chart (no chart library): one bar per hour,
 * coloured by billing status, each with its own tooltip. The figure has a text alternative and
 * the same numbers are in the table under it, so colour is never the only carrier. Hours are
 * Microsoft's UTC hours, shown in the operator's time zone.
 */
export async function UsageChart({ title, unit, points }: { title: string; unit: string | null; points: HourPoint[] }) {
  const [t, tUsage, format] = await Promise.all([
    getTranslations("adminUsage.chart"),
    getTranslations("adminUsage"),
    getFormatter(),
  ]);
  const hourLabel = (date: Date) =>
    format.dateTime(date, { month: "numeric", day: "numeric", hour: "2-digit", minute: "2-digit" });
  const values = points.map((point) => Number(point.quantity));
  const max = Math.max(0, ...values);
  const total = values.reduce((sum, value) => sum + value, 0);
  const bar = WIDTH / Math.max(1, points.length);
  const statuses = [...new Set(points.filter((point) => point.status !== "none").map((point) => point.status))];
  const first = points[0];
  const last = points.at(-1);
  const units = unit ?? t("units");
  const description = t("description", {
    hours: points.length,
    from: first ? hourLabel(first.hourStart) : "—",
    to: last ? hourLabel(last.hourStart) : "—",
    total: formatQuantity(format, total),
    max: formatQuantity(format, max),
    unit: units,
  });
  const id = `chart-${title.replace(/[^a-z0-9]+/gi, "-")}`;
  return (
    <figure
      className="rounded-lg border border-slate-200 bg-white p-4"
      data-testid="usage-chart"
      data-dimension={title}
    >
      <svg
        viewBox={`0 0 ${WIDTH} ${HEIGHT + 2}`}
        className="h-44 w-full"
        role="img"
        aria-labelledby={`${id}-title ${id}-desc`}
        preserveAspectRatio="none"
      >
        <title id={`${id}-title`}>{t("title", { dimension: title })}</title>
        <desc id={`${id}-desc`}>{description}</desc>
        {points.map((point, index) => {
          const value = Number(point.quantity);
          const height = max > 0 ? Math.max(value > 0 ? 2 : 0, (value / max) * HEIGHT) : 0;
          return (
            <rect
              key={point.hourStart.toISOString()}
              x={index * bar + 1}
              y={HEIGHT - height}
              width={Math.max(1, bar - 2)}
              height={height}
              className={statusOf(point.status).fill}
              data-status={point.status}
              data-hour={point.hourStart.toISOString()}
              data-quantity={point.quantity}
            >
              <title>
                {t("bar", {
                  hour: hourLabel(point.hourStart),
                  quantity: formatQuantity(format, point.quantity),
                  unit: unit ?? "",
                  status: usageStatusLabel(tUsage, point.status),
                })}
              </title>
            </rect>
          );
        })}
        <line x1="0" y1={HEIGHT} x2={WIDTH} y2={HEIGHT} className="stroke-slate-300" />
      </svg>
      {/* Axis labels in HTML: text inside a stretched SVG would be distorted. */}
      <div aria-hidden="true" className="flex justify-between text-[11px] text-slate-500">
        <span>{first ? hourLabel(first.hourStart) : ""}</span>
        <span>{last ? hourLabel(last.hourStart) : ""}</span>
      </div>
      <figcaption className="mt-2 flex flex-wrap items-center gap-x-4 gap-y-1 text-xs text-slate-700">
        <span>{description}</span>
        {statuses.map((status) => (
          <span key={status} className="inline-flex items-center gap-1">
            <svg width="10" height="10" aria-hidden="true">
              <rect width="10" height="10" className={statusOf(status).fill} />
            </svg>
            {usageStatusLabel(tUsage, status)}
          </span>
        ))}
      </figcaption>
    </figure>
  );
}
