import type { Metadata } from "next";
import { getFormatter, getTranslations } from "next-intl/server";
import type { ReactNode } from "react";
import { requirePublisherAdmin } from "@/lib/auth/require-publisher-admin";
import { loadCatalog } from "@/lib/catalog";
import { portalEnv } from "@/lib/env";
import { listApiKeys } from "@/lib/api-keys/list-api-keys";
import { isApiKeyScope } from "@/lib/api-keys/scopes";
import { AdminActionForm } from "../_components/action-form";
import { formatMoment } from "../_components/format";
import { revokeApiKeyAction } from "./actions";
import { CreateKeyForm } from "./create-key-form";

export const dynamic = "force-dynamic";
export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("adminIntegration.apiKeys"))("metaTitle") };
}

const code = (chunks: ReactNode) => <code className="break-all">{chunks}</code>;

export default async function ApiKeysPage() {
  await requirePublisherAdmin();
  const keys = await listApiKeys();
  const base = portalEnv().PUBLIC_BASE_URL;
  const [t, tScopes, format] = await Promise.all([
    getTranslations("adminIntegration.apiKeys"),
    getTranslations("adminClient.scopes"),
    getFormatter(),
  ]);
  return (
    <div className="space-y-6">
      <section aria-labelledby="keys-title" className="space-y-2">
        <h1 id="keys-title" className="text-2xl font-semibold">
          {t("title")}
        </h1>
        <p className="text-sm text-slate-700">
          {t.rich("intro", {
            usageUrl: `${base}/api/usage`,
            entitlementsUrl: `${base}/api/v1/entitlements`,
            code,
            link: (chunks) => (
              <a className="text-sky-800 underline" href="/api/v1/openapi.json">
                {chunks}
              </a>
            ),
          })}
        </p>
        <pre className="overflow-x-auto rounded-md bg-slate-900 p-3 text-xs text-slate-100">{`curl -X POST ${base}/api/usage \\
  -H "Authorization: Bearer usk_…" -H "Content-Type: application/json" \\
  -d '{"subscriptionId":"…","dimension":"…","quantity":12,"effectiveAt":"2026-11-25T10:15:00Z","idempotencyKey":"job-4711"}'

curl "${base}/api/v1/entitlements?tenantId=<${t("customerTenantId")}>" -H "Authorization: Bearer usk_…"`}</pre>
      </section>

      <section aria-labelledby="create-title" className="max-w-2xl">
        <h2 id="create-title" className="mb-2 text-lg font-semibold">
          {t("createTitle")}
        </h2>
        <CreateKeyForm
          knownOffers={loadCatalog().offers.map((offer) => ({ id: offer.offerId, displayName: offer.displayName }))}
        />
      </section>

      <section aria-labelledby="list-title">
        <h2 id="list-title" className="text-lg font-semibold">
          {t("keys")}
        </h2>
        {keys.length === 0 ? (
          <p className="mt-2 text-sm text-slate-600">{t("noKeys")}</p>
        ) : (
          <div className="mt-2 overflow-x-auto rounded-lg border border-slate-200 bg-white">
            <table className="min-w-full text-left text-sm">
              <thead className="bg-slate-50 text-xs uppercase text-slate-600">
                <tr>
                  <th scope="col" className="px-3 py-2">
                    {t("columns.name")}
                  </th>
                  <th scope="col" className="px-3 py-2">
                    {t("columns.key")}
                  </th>
                  <th scope="col" className="px-3 py-2">
                    {t("columns.mayDo")}
                  </th>
                  <th scope="col" className="px-3 py-2">
                    {t("columns.created")}
                  </th>
                  <th scope="col" className="px-3 py-2">
                    {t("columns.lastUsed")}
                  </th>
                  <th scope="col" className="px-3 py-2">
                    {t("columns.records")}
                  </th>
                  <th scope="col" className="px-3 py-2">
                    {t("columns.status")}
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
                            {isApiKeyScope(scope) ? tScopes(`${scope}.label`) : scope}{" "}
                            <code className="text-slate-500">{scope}</code>
                          </li>
                        ))}
                      </ul>
                      <div className="mt-1">
                        {key.offers.length
                          ? t("offers", {
                              offers: key.offers
                                .map((offer) =>
                                  offer.displayName === offer.id ? offer.id : `${offer.displayName} (${offer.id})`,
                                )
                                .join(", "),
                            })
                          : t("everyOffer")}
                      </div>
                      <div>
                        {key.tenants.length
                          ? t("tenants", {
                              tenants: key.tenants
                                .map((tenant) => (tenant.name ? `${tenant.name} (${tenant.id})` : tenant.id))
                                .join(", "),
                            })
                          : t("everyCustomer")}
                      </div>
                    </td>
                    <td className="px-3 py-2 text-xs">
                      {formatMoment(format, key.createdAt)}
                      <div className="text-slate-600">{t("by", { name: key.createdBy })}</div>
                    </td>
                    <td className="px-3 py-2 text-xs">{formatMoment(format, key.lastUsedAt)}</td>
                    <td className="px-3 py-2 tabular-nums">{format.number(key.records)}</td>
                    <td className="px-3 py-2">
                      {key.revokedAt ? (
                        <span className="text-slate-600">
                          {t("revokedAt", { at: formatMoment(format, key.revokedAt) })}
                        </span>
                      ) : (
                        <div className="min-w-64 space-y-2">
                          <span className="text-emerald-800">{t("active")}</span>
                          <AdminActionForm
                            action={revokeApiKeyAction.bind(null, key.id)}
                            label={t("revoke.label", { name: key.name })}
                            description={t("revoke.description")}
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
