import type { Metadata } from "next";
import { requirePublisherAdmin } from "@/lib/auth/require-publisher-admin";
import { loadCatalog } from "@/lib/catalog";
import { portalEnv } from "@/lib/env";
import { listApiKeys } from "@/lib/api-keys/list-api-keys";
import { isApiKeyScope, scopeDescriptions } from "@/lib/api-keys/scopes";
import { AdminActionForm } from "../_components/action-form";
import { formatDate } from "../_components/format";
import { revokeApiKeyAction } from "./actions";
import { CreateKeyForm } from "./create-key-form";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "API keys" };

export default async function ApiKeysPage() {
  await requirePublisherAdmin();
  const keys = await listApiKeys();
  const base = portalEnv().PUBLIC_BASE_URL;
  return (
    <div className="space-y-6">
      <section aria-labelledby="keys-title" className="space-y-2">
        <h1 id="keys-title" className="text-2xl font-semibold">
          API keys for usage reporting and entitlements
        </h1>
        <p className="text-sm text-slate-700">
          Your product calls the portal with one of these keys: to report metered usage (
          <code>{`${base}/api/usage`}</code>, permission <code>usage:write</code>) and to read what each customer bought
          (<code>{`${base}/api/v1/entitlements`}</code>, permission <code>entitlements:read</code>; contract:{" "}
          <a className="text-sky-800 underline" href="/api/v1/openapi.json">
            OpenAPI document
          </a>
          ). Keys are stored only as a hash: a new key is shown once, when it is created. Revoking a key refuses its
          requests at once.
        </p>
        <pre className="overflow-x-auto rounded-md bg-slate-900 p-3 text-xs text-slate-100">{`curl -X POST ${base}/api/usage \\
  -H "Authorization: Bearer usk_…" -H "Content-Type: application/json" \\
  -d '{"subscriptionId":"…","dimension":"…","quantity":12,"effectiveAt":"2026-11-25T10:15:00Z","idempotencyKey":"job-4711"}'

curl "${base}/api/v1/entitlements?tenantId=<customer tenant id>" -H "Authorization: Bearer usk_…"`}</pre>
      </section>

      <section aria-labelledby="create-title" className="max-w-2xl">
        <h2 id="create-title" className="mb-2 text-lg font-semibold">
          Create a key
        </h2>
        <CreateKeyForm
          knownOffers={loadCatalog().offers.map((offer) => ({ id: offer.offerId, displayName: offer.displayName }))}
        />
      </section>

      <section aria-labelledby="list-title">
        <h2 id="list-title" className="text-lg font-semibold">
          Keys
        </h2>
        {keys.length === 0 ? (
          <p className="mt-2 text-sm text-slate-600">No keys yet.</p>
        ) : (
          <div className="mt-2 overflow-x-auto rounded-lg border border-slate-200 bg-white">
            <table className="min-w-full text-left text-sm">
              <thead className="bg-slate-50 text-xs uppercase text-slate-600">
                <tr>
                  <th scope="col" className="px-3 py-2">
                    Name
                  </th>
                  <th scope="col" className="px-3 py-2">
                    Key
                  </th>
                  <th scope="col" className="px-3 py-2">
                    May do, for
                  </th>
                  <th scope="col" className="px-3 py-2">
                    Created
                  </th>
                  <th scope="col" className="px-3 py-2">
                    Last used
                  </th>
                  <th scope="col" className="px-3 py-2">
                    Records
                  </th>
                  <th scope="col" className="px-3 py-2">
                    Status
                  </th>
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-100">
                {keys.map((key) => (
                  <tr key={key.id} data-testid="api-key-row" data-prefix={key.prefix} className="align-top">
                    <td className="px-3 py-2 font-medium">{key.name}</td>
                    <td className="px-3 py-2 font-mono text-xs">{key.prefix}…</td>
                    <td className="px-3 py-2 text-xs" data-testid="api-key-scopes">
                      <ul>
                        {key.scopes.map((scope) => (
                          <li key={scope}>
                            {isApiKeyScope(scope) ? scopeDescriptions[scope].label : scope}{" "}
                            <code className="text-slate-500">{scope}</code>
                          </li>
                        ))}
                      </ul>
                      <div className="mt-1">
                        {key.offers.length
                          ? `Offers: ${key.offers.map((offer) => (offer.displayName === offer.id ? offer.id : `${offer.displayName} (${offer.id})`)).join(", ")}`
                          : "Every offer"}
                      </div>
                      <div>
                        {key.tenants.length
                          ? `Customer tenants: ${key.tenants.map((tenant) => (tenant.name ? `${tenant.name} (${tenant.id})` : tenant.id)).join(", ")}`
                          : "Every customer"}
                      </div>
                    </td>
                    <td className="px-3 py-2 text-xs">
                      {formatDate(key.createdAt)}
                      <div className="text-slate-600">by {key.createdBy}</div>
                    </td>
                    <td className="px-3 py-2 text-xs">{formatDate(key.lastUsedAt)}</td>
                    <td className="px-3 py-2 tabular-nums">{key.records.toLocaleString("en")}</td>
                    <td className="px-3 py-2">
                      {key.revokedAt ? (
                        <span className="text-slate-600">Revoked {formatDate(key.revokedAt)}</span>
                      ) : (
                        <div className="min-w-64 space-y-2">
                          <span className="text-emerald-800">Active</span>
                          <AdminActionForm
                            action={revokeApiKeyAction.bind(null, key.id)}
                            label={`Revoke ${key.name}`}
                            description="The product's requests with this key will be refused (401) from now on: usage reports and entitlement reads alike. Usage already recorded is still billed."
                            danger
                          />
                        </div>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </div>
  );
}
