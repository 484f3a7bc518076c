import type { AccountConfigEntry } from "@/lib/catalog";

/** A stored account configuration, labelled as the catalog's form labels it (lib/catalog describeAccountConfig). */
export function AccountConfigList({ entries, className = "" }: { entries: AccountConfigEntry[]; className?: string }) {
  return (
    <dl
      className={`grid grid-cols-1 gap-x-4 gap-y-1 text-sm sm:grid-cols-[max-content_1fr] ${className}`}
      data-testid="account-config"
    >
      {entries.map((entry) => (
        <div key={entry.name} className="contents">
          <dt className="font-medium text-slate-600">{entry.label}</dt>
          <dd className="break-words" data-config-field={entry.name}>
            {entry.value}
          </dd>
        </div>
      ))}
    </dl>
  );
}
