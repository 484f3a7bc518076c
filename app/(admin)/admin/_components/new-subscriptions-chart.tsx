/**
 * New subscriptions per day as an SVG bar chart (no chart library). Screen readers get the same
 * numbers as a table; the SVG itself is decorative.
 */
export function NewSubscriptionsChart({ series }: { series: Array<{ day: string; count: number }> }) {
  const max = Math.max(1, ...series.map((point) => point.count));
  const width = 600;
  const height = 160;
  const bar = width / series.length;
  const total = series.reduce((sum, point) => sum + point.count, 0);
  return (
    <section aria-labelledby="new-title" className="rounded-lg border border-slate-200 bg-white p-4">
      <h2 id="new-title" className="text-lg font-semibold">
        New subscriptions, last {series.length} days{" "}
        <span className="text-sm font-normal text-slate-600">({total.toLocaleString("en")})</span>
      </h2>
      <svg
        viewBox={`0 0 ${width} ${height + 20}`}
        className="mt-3 h-48 w-full"
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
              <title>{`${point.day}: ${point.count}`}</title>
            </rect>
          );
        })}
        <line x1="0" y1={height} x2={width} y2={height} className="stroke-slate-300" />
        <text x="0" y={height + 15} className="fill-slate-500 text-[10px]">
          {series[0]?.day}
        </text>
        <text x={width} y={height + 15} textAnchor="end" className="fill-slate-500 text-[10px]">
          {series[series.length - 1]?.day}
        </text>
      </svg>
      <details className="mt-2 text-sm">
        <summary className="cursor-pointer text-brand-700">Show as a table</summary>
        <table className="mt-2 text-sm">
          <thead>
            <tr>
              <th scope="col" className="pr-4 text-left">
                Day (UTC)
              </th>
              <th scope="col" className="text-right">
                New
              </th>
            </tr>
          </thead>
          <tbody>
            {series.map((point) => (
              <tr key={point.day}>
                <td className="pr-4">{point.day}</td>
                <td className="text-right tabular-nums">{point.count}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </section>
  );
}
