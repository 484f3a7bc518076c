import { getFormatter, getTranslations } from "next-intl/server";
import { AdminActionForm } from "../../_components/action-form";
import {
  activateAction,
  changePlanAction,
  changeSeatsAction,
  resendAcknowledgementAction,
  resyncAction,
  unsubscribeAction,
} from "./actions";

interface Props {
  subscriptionId: string;
  status: "NotStarted" | "PendingFulfillmentStart" | "Subscribed" | "Suspended" | "Unsubscribed";
  activationFailed: boolean;
  pendingChange: { action: string; status: string } | null;
  /** null: Microsoft did not list the plans just now. */
  plans: Array<{ planId: string; name: string; current: boolean }> | null;
  seats: { current: number; min: number; max: number } | null;
  failedAcknowledgements: Array<{ jobId: string; error: string | null; at: string }>;
}

const field = "mt-1 block w-full rounded-md border border-slate-300 bg-white px-2 py-1.5 text-sm";

/** The actions that make sense in the subscription's state (the server checks again: a stale page changes nothing). */
export async function SubscriptionActions(props: Props) {
  const [t, format] = await Promise.all([getTranslations("admin.subscriptionActions"), getFormatter()]);
  const canChange = props.status === "Subscribed" && !props.pendingChange;
  return (
    <div className="space-y-3">
      {props.pendingChange ? (
        <p data-testid="admin-pending-change" className="rounded-md bg-amber-50 p-3 text-sm text-amber-900">
          {t("pendingChange", props.pendingChange)}
        </p>
      ) : null}
      {props.status === "PendingFulfillmentStart" ? (
        <AdminActionForm
          action={activateAction.bind(null, props.subscriptionId)}
          label={props.activationFailed ? t("activate.retryLabel") : t("activate.label")}
          description={t("activate.description")}
        />
      ) : null}
      {canChange && props.plans && props.plans.length > 1 ? (
        <AdminActionForm
          action={changePlanAction.bind(null, props.subscriptionId)}
          label={t("plan.label")}
          description={t("plan.description")}
        >
          <label className="block text-sm">
            {t("plan.newPlan")}
            <select name="planId" className={field} defaultValue="">
              <option value="" disabled>
                {t("plan.choose")}
              </option>
              {props.plans
                .filter((plan) => !plan.current)
                .map((plan) => (
                  <option key={plan.planId} value={plan.planId}>
                    {plan.name} ({plan.planId})
                  </option>
                ))}
            </select>
          </label>
        </AdminActionForm>
      ) : null}
      {canChange && props.seats ? (
        <AdminActionForm
          action={changeSeatsAction.bind(null, props.subscriptionId)}
          label={t("seats.label")}
          description={t("seats.description", {
            current: props.seats.current,
            min: format.number(props.seats.min),
            max: format.number(props.seats.max),
          })}
        >
          <label className="block text-sm">
            {t("seats.number")}
            <input
              name="quantity"
              type="number"
              inputMode="numeric"
              min={props.seats.min}
              max={props.seats.max}
              defaultValue={props.seats.current}
              className={field}
            />
          </label>
        </AdminActionForm>
      ) : null}
      {props.status === "Subscribed" && !props.plans ? (
        <p className="text-sm text-slate-600">{t("plansUnavailable")}</p>
      ) : null}
      {(props.status === "Subscribed" || props.status === "Suspended") && !props.pendingChange ? (
        <AdminActionForm
          action={unsubscribeAction.bind(null, props.subscriptionId)}
          danger
          label={t("cancel.label")}
          description={t("cancel.description")}
        />
      ) : null}
      <AdminActionForm
        action={resyncAction.bind(null, props.subscriptionId)}
        label={t("resync.label")}
        description={t("resync.description")}
      />
      {props.failedAcknowledgements.length > 0 ? (
        <AdminActionForm
          action={resendAcknowledgementAction.bind(null, props.subscriptionId)}
          label={t("resendAck.label")}
          description={t("resendAck.description")}
        >
          <fieldset className="space-y-1 text-sm">
            <legend className="font-medium">{t("resendAck.legend")}</legend>
            {props.failedAcknowledgements.map((ack, index) => (
              <label key={ack.jobId} className="flex items-start gap-2">
                <input type="radio" name="jobId" value={ack.jobId} defaultChecked={index === 0} className="mt-1" />
                <span className="min-w-0 break-all">
                  {t("resendAck.job", { job: ack.jobId, at: ack.at })}
                  {ack.error ? <span className="block text-xs text-slate-600">{ack.error.slice(0, 200)}</span> : null}
                </span>
              </label>
            ))}
          </fieldset>
        </AdminActionForm>
      ) : null}
    </div>
  );
}
