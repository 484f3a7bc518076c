import Link from "next/link";
import { notFound } from "next/navigation";
import { requirePublisherAdmin } from "@/lib/auth/require-publisher-admin";
import { getSubscriptionDetail } from "@/lib/admin/get-subscription-detail";
import { describeAge } from "@/lib/admin/describe-age";
import { availablePlans } from "@/lib/subscriptions/available-plans";
import { describeTerm } from "@/lib/subscriptions/describe-term";
import { listPeople } from "@/lib/colleagues/list-people";
import { describeAccountConfig, describeOffer, describePlan, planEntitlements } from "@/lib/catalog";
import { AccountConfigList } from "@/app/components/account-config-list";
import { StatusBadge } from "@/app/components/status-badge";
import { formatDate } from "../../_components/format";
import { doneMessages } from "./done-messages";
import { SubscriptionActions } from "./subscription-actions";
import { Timeline } from "./timeline";

export const metadata = { title: "Subscription" };

export default async function AdminSubscriptionPage({
  params,
  searchParams,
}: {
  params: Promise<{ id: string }>;
  searchParams: Promise<{ done?: string | string[] }>;
}) {
  await requirePublisherAdmin();
  const { id } = await params;
  const doneKey = (await searchParams).done;
  const done =
    typeof doneKey === "string" && Object.hasOwn(doneMessages, doneKey)
      ? doneMessages[doneKey as keyof typeof doneMessages]
      : null;
  const detail = await getSubscriptionDetail(id);
  if (!detail) notFound();
  const { subscription } = detail;
  // Plans only matter for changes of an active subscription; Microsoft being down must not break the page.
  const plans = subscription.status === "Subscribed" ? await availablePlans(subscription.id).catch(() => null) : [];
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
          ← All subscriptions
        </Link>
        <h1 className="mt-2 flex flex-wrap items-center gap-3 text-2xl font-semibold">
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
      <DataRetention subscription={subscription} />

      <section aria-labelledby="product-title" className="rounded-lg border border-slate-200 bg-white p-4">
        <h2 id="product-title" className="text-lg font-semibold">
          Offer, plan and account
        </h2>
        <div className="mt-3 grid gap-6 lg:grid-cols-3">
          <dl className="space-y-3 text-sm">
            <div>
              <dt className="text-slate-600">Offer</dt>
              <dd className="font-medium" data-testid="admin-offer">
                {offer.displayName}
              </dd>
              <dd className="text-xs text-slate-600">
                {offer.known ? subscription.offerId : `${subscription.offerId} · not in the offer catalog`}
              </dd>
            </div>
            <div>
              <dt className="text-slate-600">Plan</dt>
              <dd className="font-medium" data-testid="admin-plan">
                {planName(subscription.planId, currentPlan?.displayName)}
              </dd>
              <dd className="text-xs text-slate-600">{subscription.planId}</dd>
            </div>
            <div>
              <dt className="text-slate-600">Features (catalog)</dt>
              <dd data-testid="admin-features">
                <EntitlementList values={entitlements.features} />
              </dd>
            </div>
            <div>
              <dt className="text-slate-600">Included usage (catalog)</dt>
              <dd data-testid="admin-included-quantities">
                <EntitlementList values={entitlements.includedQuantities} />
              </dd>
            </div>
          </dl>
          <div className="lg:col-span-2">
            <h3 className="text-sm font-semibold text-slate-800">Account configuration</h3>
            {subscription.accountConfig ? (
              <AccountConfigList
                className="mt-2"
                entries={describeAccountConfig(subscription.offerId, subscription.planId, subscription.accountConfig)}
              />
            ) : (
              <p className="mt-1 text-sm text-slate-600">
                {subscription.dataPurgedAt
                  ? `Removed with the personal data on ${formatDate(subscription.dataPurgedAt)}.`
                  : "Not configured yet (the buyer has not completed the landing page)."}
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
            Every field
          </h2>
          <dl className="mt-3 grid grid-cols-1 gap-x-4 gap-y-1 text-sm sm:grid-cols-[max-content_1fr]">
            {fields.map(([key, value]) => (
              <div key={key} className="contents">
                <dt className="font-medium text-slate-600">{key}</dt>
                <dd className="break-all" data-field={key}>
                  {value instanceof Date
                    ? formatDate(value)
                    : Array.isArray(value)
                      ? value.join(", ") || "—"
                      : value === null || value === undefined || value === ""
                        ? "—"
                        : String(value)}
                </dd>
              </div>
            ))}
          </dl>
          <h3 className="mt-4 font-semibold">Account configuration (as stored)</h3>
          {subscription.accountConfig ? (
            <pre className="mt-2 overflow-x-auto rounded bg-slate-50 p-3 text-xs" data-testid="account-config-json">
              {JSON.stringify(subscription.accountConfig, null, 2)}
            </pre>
          ) : (
            <p className="mt-1 text-sm text-slate-600">—</p>
          )}
          <h3 className="mt-4 font-semibold">Invited colleagues</h3>
          <p className="text-xs text-slate-500">
            Besides the purchaser, the beneficiary and the customer tenant&apos;s Global and Billing Administrators.
          </p>
          {people.colleagues.length > 0 ? (
            <ul className="mt-1 text-sm" data-testid="admin-colleagues">
              {people.colleagues.map((person) => (
                <li key={`${person.tenantId}:${person.userOid}`}>
                  {person.name ?? "—"} · {person.email ?? "—"} ·{" "}
                  <span className="font-mono text-xs">
                    {person.tenantId}:{person.userOid}
                  </span>{" "}
                  · since {formatDate(person.since)}
                </li>
              ))}
            </ul>
          ) : (
            <p className="mt-1 text-sm text-slate-600">None.</p>
          )}
          {people.invites.length > 0 ? (
            <p className="mt-1 text-sm text-slate-600">
              {people.invites.length} open invitation{people.invites.length === 1 ? "" : "s"}.
            </p>
          ) : null}
        </section>

        <section aria-labelledby="actions-title" className="space-y-3">
          <h2 id="actions-title" className="text-lg font-semibold">
            Actions
          </h2>
          <SubscriptionActions
            subscriptionId={subscription.id}
            status={subscription.status}
            activationFailed={detail.activationFailed}
            pendingChange={
              detail.pendingChange ? `${detail.pendingChange.action} (${detail.pendingChange.status})` : null
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
            failedAcknowledgements={detail.failedAcknowledgements.map((ack) => ({ ...ack, at: formatDate(ack.at) }))}
          />
        </section>
      </div>

      <Timeline entries={detail.timeline} />
    </div>
  );
}

/** A plan's features or included quantities, one `key: value` a line; "None" when the catalog lists none. */
function EntitlementList({ values }: { values: Record<string, boolean | number | string> }) {
  const entries = Object.entries(values);
  if (entries.length === 0) return <span className="text-slate-500">None</span>;
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
function DataRetention({ subscription }: { subscription: DetailRow }) {
  if (subscription.status !== "Unsubscribed" && !subscription.dataPurgedAt) return null;
  const purged = subscription.dataPurgedAt;
  return (
    <section
      aria-labelledby="retention-title"
      className="rounded-lg border border-slate-200 bg-white p-4"
      data-testid="data-retention"
    >
      <h2 id="retention-title" className="text-lg font-semibold">
        Personal data
      </h2>
      <p className="mt-1 text-sm" data-testid="data-purge">
        {purged ? (
          <>
            <strong>Removed on {formatDate(purged)}</strong> (retention ended{" "}
            {formatDate(subscription.dataRetainedUntil)}): name, emails, account configuration, colleagues and
            invitations. Ids, statuses and the history stay.
          </>
        ) : subscription.dataRetainedUntil ? (
          <>
            <strong>Removed after {formatDate(subscription.dataRetainedUntil)}</strong>, within the hour: name, emails,
            account configuration, colleagues and invitations. Ids, statuses and the history stay.
          </>
        ) : (
          "Kept: no retention date was recorded for this cancellation."
        )}
      </p>
    </section>
  );
}

/** Who made it live, whether the buyer set up the account, Microsoft's own words when they are new to us. */
function SetupSummary({ subscription }: { subscription: DetailRow }) {
  const known = subscription.marketplaceStatus === null || subscription.marketplaceStatus === subscription.status;
  const live = subscription.status === "Subscribed" || subscription.status === "Suspended";
  return (
    <section aria-labelledby="setup-title" className="rounded-lg border border-slate-200 bg-white p-4">
      <h2 id="setup-title" className="text-lg font-semibold">
        Activation and setup
      </h2>
      <dl className="mt-3 grid gap-x-6 gap-y-3 text-sm sm:grid-cols-2 lg:grid-cols-4">
        <div>
          <dt className="text-slate-600">Activated by</dt>
          <dd className="font-medium" data-testid="activated-by">
            {subscription.activatedBy === "marketplace"
              ? "Microsoft, at purchase (auto-activated)"
              : subscription.activatedBy === "portal"
                ? "This portal (Activate)"
                : "Not activated yet"}
          </dd>
          {subscription.activatedAt ? (
            <dd className="text-xs text-slate-600">{formatDate(subscription.activatedAt)}</dd>
          ) : null}
        </div>
        <div>
          <dt className="text-slate-600">Account setup</dt>
          <dd
            className={`font-medium ${subscription.setupState === "pending" && live ? "text-amber-800" : ""}`}
            data-testid="setup-state"
          >
            {subscription.setupState === "complete"
              ? "Complete"
              : live
                ? `Pending for ${describeAge(subscription.activatedAt ?? subscription.createdAt)}`
                : "Pending (not active)"}
          </dd>
          <dd className="text-xs text-slate-600">
            {subscription.setupState === "complete"
              ? formatDate(subscription.setupCompletedAt)
              : live
                ? "Billed, but the buyer has not finished the setup on the landing page."
                : "Set up together with the activation."}
          </dd>
        </div>
        <div>
          <dt className="text-slate-600">Term</dt>
          <dd className="font-medium" data-testid="admin-term">
            {describeTerm({ termUnit: subscription.termUnit, chargeDuration: subscription.termChargeDuration }).text}
          </dd>
        </div>
        <div>
          <dt className="text-slate-600">Microsoft&apos;s status</dt>
          <dd className={`font-medium ${known ? "" : "text-amber-800"}`} data-testid="marketplace-status">
            {subscription.marketplaceStatus ?? "—"}
          </dd>
          {known ? null : (
            <dd className="text-xs text-slate-600">
              Not a status we know: ours stays {subscription.status} until Microsoft reports one we do.
            </dd>
          )}
        </div>
      </dl>
    </section>
  );
}
