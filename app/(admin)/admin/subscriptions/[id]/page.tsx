import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import type { ReactNode } from "react";
import { getFormatter, getTranslations } from "next-intl/server";
import { requirePublisherAdmin } from "@/lib/auth/require-publisher-admin";
import { getSubscriptionDetail } from "@/lib/admin/get-subscription-detail";
import { describeAge } from "@/lib/admin/describe-age";
import { availablePlans } from "@/lib/subscriptions/available-plans";
import { describeTerm } from "@/lib/subscriptions/describe-term";
import { wordsFor } from "@/lib/subscriptions/words-for";
import { termWords } from "@/lib/subscriptions/subscription-words";
import { listPeople } from "@/lib/colleagues/list-people";
import { describeAccountConfig, describeOffer, describePlan, planEntitlements } from "@/lib/catalog";
import { AccountConfigList } from "@/app/components/account-config-list";
import { StatusBadge } from "@/app/components/status-badge";
import { formatMoment } from "../../_components/format";
import { isDoneKey } from "./done-messages";
import { PreviewBadge } from "../../_components/preview-badge";
import { SubscriptionActions } from "./subscription-actions";
import { Timeline } from "./timeline";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("admin.detail"))("metaTitle") };
}

type Formatter = Awaited<ReturnType<typeof getFormatter>>;

export default async function AdminSubscriptionPage({
  params,
  searchParams,
}: {
  params: Promise<{ id: string }>;
  searchParams: Promise<{ done?: string | string[] }>;
}) {
  await requirePublisherAdmin();
  const [t, format] = await Promise.all([getTranslations("admin.detail"), getFormatter()]);
  const { id } = await params;
  const doneKey = (await searchParams).done;
  const done = typeof doneKey === "string" && isDoneKey(doneKey) ? t(`done.${doneKey}`) : null;
  const detail = await getSubscriptionDetail(id);
  if (!detail) notFound();
  const { subscription } = detail;
  // Plans only matter for changes of an active subscription; Microsoft being down must not break the page.
  const plans = subscription.status === "Subscribed" ? await availablePlans(subscription).catch(() => null) : [];
  const currentPlan = plans?.find((plan) => plan.planId === subscription.planId);
  const people = await listPeople({ subscriptionId: subscription.id });

  // accountConfig is JSON, shown on its own below; every other field is a scalar, a date or a list.
  const { accountConfig: _accountConfig, ...scalarFields } = subscription;
  const fields = Object.entries(scalarFields);
  const offer = describeOffer(subscription.offerId);
  const entitlements = planEntitlements(subscription.offerId, subscription.planId);
  const planName = (planId: string, microsoftName?: string | null) =>
    describePlan(subscription.offerId, planId, microsoftName).displayName;
  return (
    <div className="space-y-6">
      <div>
        <Link href="/admin/subscriptions" className="text-sm text-brand-700 underline">
          {t("back")}
        </Link>
        <h1 className="mt-2 flex flex-wrap items-center gap-3 text-2xl font-semibold [overflow-wrap:anywhere]">
          <span data-testid="admin-subscription-name">{subscription.name || subscription.id}</span>
          <StatusBadge status={subscription.status} />
        </h1>
        <p className="font-mono text-xs text-slate-500">{subscription.id}</p>
        {done ? (
          <p
            role="status"
            data-testid="admin-done"
            className="mt-3 rounded-md bg-emerald-50 p-3 text-sm text-emerald-900"
          >
            {done}
          </p>
        ) : null}
      </div>

      <SetupSummary subscription={subscription} />
      <DataRetention subscription={subscription} format={format} />

      <section aria-labelledby="product-title" className="rounded-lg border border-slate-200 bg-white p-4">
        <h2 id="product-title" className="text-lg font-semibold">
          {t("product.title")}
        </h2>
        <div className="mt-3 grid gap-6 lg:grid-cols-3">
          <dl className="space-y-3 text-sm">
            <div>
              <dt className="text-slate-600">{t("product.offer")}</dt>
              <dd className="font-medium" data-testid="admin-offer">
                {offer.displayName}
                {offer.preview ? <PreviewBadge /> : null}
              </dd>
              <dd className="text-xs text-slate-600">
                {offer.known ? subscription.offerId : t("product.notInCatalog", { offerId: subscription.offerId })}
                {offer.preview ? ` · ${t("product.preview")}` : ""}
              </dd>
            </div>
            <div>
              <dt className="text-slate-600">{t("product.plan")}</dt>
              <dd className="font-medium" data-testid="admin-plan">
                {planName(subscription.planId, currentPlan?.displayName)}
              </dd>
              <dd className="text-xs text-slate-600">{subscription.planId}</dd>
            </div>
            <div>
              <dt className="text-slate-600">{t("product.features")}</dt>
              <dd data-testid="admin-features">
                <EntitlementList values={entitlements.features} none={t("none")} />
              </dd>
            </div>
            <div>
              <dt className="text-slate-600">{t("product.includedUsage")}</dt>
              <dd data-testid="admin-included-quantities">
                <EntitlementList values={entitlements.includedQuantities} none={t("none")} />
              </dd>
            </div>
          </dl>
          <div className="lg:col-span-2">
            <h3 className="text-sm font-semibold text-slate-800">{t("product.accountConfig")}</h3>
            {subscription.accountConfig ? (
              <AccountConfigList
                className="mt-2"
                entries={describeAccountConfig(subscription.offerId, subscription.planId, subscription.accountConfig)}
              />
            ) : (
              <p className="mt-1 text-sm text-slate-600">
                {subscription.dataPurgedAt
                  ? t("product.configRemoved", { at: formatMoment(format, subscription.dataPurgedAt) })
                  : t("product.notConfigured")}
              </p>
            )}
          </div>
        </div>
      </section>

      <div className="grid gap-6 lg:grid-cols-3">
        <section
          aria-labelledby="fields-title"
          className="rounded-lg border border-slate-200 bg-white p-4 lg:col-span-2"
        >
          <h2 id="fields-title" className="text-lg font-semibold">
            {t("fields.title")}
          </h2>
          <dl className="mt-3 grid grid-cols-1 gap-x-4 gap-y-1 text-sm sm:grid-cols-[max-content_1fr]">
            {fields.map(([key, value]) => (
              <div key={key} className="contents">
                <dt className="font-medium text-slate-600">{key}</dt>
                <dd className="break-all" data-field={key}>
                  {value instanceof Date
                    ? key === "termStartDate" || key === "termEndDate"
                      ? format.dateTime(value, "day")
                      : formatMoment(format, value)
                    : Array.isArray(value)
                      ? value.join(", ") || "—"
                      : value === null || value === undefined || value === ""
                        ? "—"
                        : String(value)}
                </dd>
              </div>
            ))}
          </dl>
          <h3 className="mt-4 font-semibold">{t("fields.storedConfig")}</h3>
          {subscription.accountConfig ? (
            <pre className="mt-2 overflow-x-auto rounded bg-slate-50 p-3 text-xs" data-testid="account-config-json">
              {JSON.stringify(subscription.accountConfig, null, 2)}
            </pre>
          ) : (
            <p className="mt-1 text-sm text-slate-600">—</p>
          )}
          <h3 className="mt-4 font-semibold">{t("fields.colleagues")}</h3>
          <p className="text-xs text-slate-500">{t("fields.colleaguesNote")}</p>
          {people.colleagues.length > 0 ? (
            <ul className="mt-1 text-sm" data-testid="admin-colleagues">
              {people.colleagues.map((person) => (
                <li key={`${person.tenantId}:${person.userOid}`}>
                  {person.name ?? "—"} · {person.email ?? "—"} ·{" "}
                  <span className="font-mono text-xs">
                    {person.tenantId}:{person.userOid}
                  </span>{" "}
                  · {t("fields.since", { at: formatMoment(format, person.since) })}
                </li>
              ))}
            </ul>
          ) : (
            <p className="mt-1 text-sm text-slate-600">{t("fields.noColleagues")}</p>
          )}
          {people.invites.length > 0 ? (
            <p className="mt-1 text-sm text-slate-600">
              {t("fields.openInvitations", { count: people.invites.length })}
            </p>
          ) : null}
        </section>

        <section aria-labelledby="actions-title" className="space-y-3">
          <h2 id="actions-title" className="text-lg font-semibold">
            {t("actionsTitle")}
          </h2>
          <SubscriptionActions
            subscriptionId={subscription.id}
            status={subscription.status}
            activationFailed={detail.activationFailed}
            pendingChange={
              detail.pendingChange ? { action: detail.pendingChange.action, status: detail.pendingChange.status } : null
            }
            plans={
              plans?.map((plan) => ({
                planId: plan.planId,
                name: planName(plan.planId, plan.displayName),
                current: plan.planId === subscription.planId,
              })) ?? null
            }
            seats={
              currentPlan?.isPricePerSeat
                ? {
                    current: subscription.quantity ?? 0,
                    min: currentPlan.minQuantity ?? 1,
                    max: currentPlan.maxQuantity ?? 1_000_000,
                  }
                : null
            }
            failedAcknowledgements={detail.failedAcknowledgements.map((ack) => ({
              ...ack,
              at: formatMoment(format, ack.at),
            }))}
          />
        </section>
      </div>

      <Timeline entries={detail.timeline} />
    </div>
  );
}

/** A plan's features or included quantities, one `key: value` a line; "None" when the catalog lists none. */
function EntitlementList({ values, none }: { values: Record<string, boolean | number | string>; none: string }) {
  const entries = Object.entries(values);
  if (entries.length === 0) return <span className="text-slate-500">{none}</span>;
  return (
    <ul className="font-mono text-xs">
      {entries.map(([key, value]) => (
        <li key={key}>
          {key}: {String(value)}
        </li>
      ))}
    </ul>
  );
}

type DetailRow = NonNullable<Awaited<ReturnType<typeof getSubscriptionDetail>>>["subscription"];

/**
 * A cancelled subscription's personal data: when the retention job removes it (the promise on the
 * cancellation page, docs/decisions/0015), or when it did.
 */
async function DataRetention({ subscription, format }: { subscription: DetailRow; format: Formatter }) {
  if (subscription.status !== "Unsubscribed" && !subscription.dataPurgedAt) return null;
  const t = await getTranslations("admin.detail.retention");
  const purged = subscription.dataPurgedAt;
  const strong = (chunks: ReactNode) => <strong>{chunks}</strong>;
  return (
    <section
      aria-labelledby="retention-title"
      className="rounded-lg border border-slate-200 bg-white p-4"
      data-testid="data-retention"
    >
      <h2 id="retention-title" className="text-lg font-semibold">
        {t("title")}
      </h2>
      <p className="mt-1 text-sm" data-testid="data-purge">
        {purged
          ? t.rich("removed", {
              strong,
              at: formatMoment(format, purged),
              retainedUntil: formatMoment(format, subscription.dataRetainedUntil),
            })
          : subscription.dataRetainedUntil
            ? t.rich("removedAfter", { strong, at: formatMoment(format, subscription.dataRetainedUntil) })
            : t("kept")}
      </p>
    </section>
  );
}

/** Who made it live, whether the buyer set up the account, Microsoft's own words when they are new to us. */
async function SetupSummary({ subscription }: { subscription: DetailRow }) {
  const [t, tAge, format] = await Promise.all([
    getTranslations("admin.detail.setup"),
    getTranslations("admin.age"),
    getFormatter(),
  ]);
  const known = subscription.marketplaceStatus === null || subscription.marketplaceStatus === subscription.status;
  const live = subscription.status === "Subscribed" || subscription.status === "Suspended";
  const age = describeAge(subscription.activatedAt ?? subscription.createdAt);
  return (
    <section aria-labelledby="setup-title" className="rounded-lg border border-slate-200 bg-white p-4">
      <h2 id="setup-title" className="text-lg font-semibold">
        {t("title")}
      </h2>
      <dl className="mt-3 grid gap-x-6 gap-y-3 text-sm sm:grid-cols-2 lg:grid-cols-4">
        <div>
          <dt className="text-slate-600">{t("activatedBy")}</dt>
          <dd className="font-medium" data-testid="activated-by">
            {subscription.activatedBy === "marketplace"
              ? t("byMarketplace")
              : subscription.activatedBy === "portal"
                ? t("byPortal")
                : t("notActivated")}
          </dd>
          {subscription.activatedAt ? (
            <dd className="text-xs text-slate-600">{formatMoment(format, subscription.activatedAt)}</dd>
          ) : null}
        </div>
        <div>
          <dt className="text-slate-600">{t("accountSetup")}</dt>
          <dd
            className={`font-medium ${subscription.setupState === "pending" && live ? "text-amber-800" : ""}`}
            data-testid="setup-state"
          >
            {subscription.setupState === "complete"
              ? t("complete")
              : live
                ? t("pendingFor", { age: tAge(age.unit, { count: age.count }) })
                : t("pendingNotActive")}
          </dd>
          <dd className="text-xs text-slate-600">
            {subscription.setupState === "complete"
              ? formatMoment(format, subscription.setupCompletedAt)
              : live
                ? t("billedNotSetUp")
                : t("setUpWithActivation")}
          </dd>
        </div>
        <div>
          <dt className="text-slate-600">{t("term")}</dt>
          <dd className="font-medium" data-testid="admin-term">
            {termWords(
              wordsFor("en").t,
              describeTerm({ termUnit: subscription.termUnit, chargeDuration: subscription.termChargeDuration }),
            )}
          </dd>
        </div>
        <div>
          <dt className="text-slate-600">{t("microsoftStatus")}</dt>
          <dd className={`font-medium ${known ? "" : "text-amber-800"}`} data-testid="marketplace-status">
            {subscription.marketplaceStatus ?? "—"}
          </dd>
          {known ? null : (
            <dd className="text-xs text-slate-600">{t("unknownStatus", { status: subscription.status })}</dd>
          )}
        </div>
      </dl>
    </section>
  );
}
