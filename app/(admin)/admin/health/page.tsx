import { requirePublisherAdmin } from "@/lib/auth/require-publisher-admin";
import { checkHealth, type CheckStatus } from "@/lib/admin/check-health";

export const metadata = { title: "Health" };

const names = {
  database: "Database",
  token: "Token for the fulfillment app (Entra ID)",
  marketplace: "Microsoft's marketplace API",
  jobs: "Background jobs",
} as const;
const looks: Record<CheckStatus, { text: string; className: string }> = {
  ok: { text: "OK", className: "bg-emerald-50 text-emerald-900 ring-emerald-300" },
  warn: { text: "Needs a look", className: "bg-amber-50 text-amber-900 ring-amber-300" },
  error: { text: "Failing", className: "bg-red-50 text-red-900 ring-red-300" },
};
const summary = {
  ok: "Everything is working.",
  degraded: "The portal works, but something needs a look.",
  error: "The portal cannot serve buyers fully right now.",
};

export default async function HealthPage() {
  await requirePublisherAdmin();
  const report = await checkHealth({ fresh: true });
  return (
    <section aria-labelledby="health-title">
      <h1 id="health-title" className="text-2xl font-semibold">
        Health
      </h1>
      <p className="mt-1 text-lg" data-testid="health-summary" data-status={report.status}>
        {summary[report.status]}
      </p>
      <p className="text-sm text-slate-600">
        The same checks as <code>GET /api/health</code> (which probes use), run just now.
      </p>
      <ul className="mt-4 space-y-3">
        {(Object.keys(names) as Array<keyof typeof names>).map((key) => {
          const check = report.checks[key];
          return (
            <li
              key={key}
              className="rounded-lg border border-slate-200 bg-white p-4"
              data-check={key}
              data-status={check.status}
            >
              <p className="flex flex-wrap items-center gap-3">
                <strong>{names[key]}</strong>
                <span className={`rounded-full px-2.5 py-0.5 text-sm ring-1 ${looks[check.status].className}`}>
                  {looks[check.status].text}
                </span>
                {check.ms !== undefined ? <span className="text-xs text-slate-500">{check.ms} ms</span> : null}
              </p>
              <p className="mt-1 text-sm text-slate-700">{check.message}</p>
              {key === "jobs" && check.status !== "error" ? (
                <p className="text-xs text-slate-600">
                  Pending {String(check.pending)}, running {String(check.running)}, failed {String(check.failed)};
                  oldest waiting {String(check.oldestDueSeconds)} s.
                </p>
              ) : null}
            </li>
          );
        })}
      </ul>
    </section>
  );
}
