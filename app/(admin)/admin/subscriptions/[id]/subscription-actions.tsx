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
  pendingChange: string | null;
  /** null: Microsoft did not list the plans just now. */
  plans: Array<{ planId: string; name: string; current: boolean }> | null;
  seats: { current: number; min: number; max: number } | null;
  failedAcknowledgements: Array<{ jobId: string; error: string | null; at: string }>;
}

const field = "mt-1 block w-full rounded-md border border-slate-300 bg-white px-2 py-1.5 text-sm";

/** The actions that make sense in the subscription's state (the server checks again: a stale page changes nothing). */
export function SubscriptionActions(props: Props) {
  const canChange = props.status === "Subscribed" && !props.pendingChange;
  return (
    <div className="space-y-3">
      {props.pendingChange ? (
        <p data-testid="admin-pending-change" className="rounded-md bg-amber-50 p-3 text-sm text-amber-900">
          Change in progress at Microsoft: {props.pendingChange}. Other changes wait until it ends.
        </p>
      ) : null}
      {props.status === "PendingFulfillmentStart" ? (
        <AdminActionForm
          action={activateAction.bind(null, props.subscriptionId)}
          label={props.activationFailed ? "Retry the failed activation" : "Activate this subscription"}
          description="Tells Microsoft the subscription is set up, which starts billing the customer. Use it when the buyer paid but could not finish the landing page."
        />
      ) : null}
      {canChange && props.plans && props.plans.length > 1 ? (
        <AdminActionForm
          action={changePlanAction.bind(null, props.subscriptionId)}
          label="Change the plan"
          description="Publisher-initiated plan change: Microsoft bills the customer for the new plan from now on."
        >
          <label className="block text-sm">
            New plan
            <select name="planId" className={field} defaultValue="">
              <option value="" disabled>
                Choose a plan
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
          label="Change the seats"
          description={`Currently ${props.seats.current} seats; this plan allows ${props.seats.min}–${props.seats.max}.`}
        >
          <label className="block text-sm">
            Number of seats
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
        <p className="text-sm text-slate-600">
          Microsoft did not list the available plans just now; plan and seat changes are hidden. Reload in a minute.
        </p>
      ) : null}
      {(props.status === "Subscribed" || props.status === "Suspended") && !props.pendingChange ? (
        <AdminActionForm
          action={unsubscribeAction.bind(null, props.subscriptionId)}
          danger
          label="Cancel (unsubscribe) this subscription"
          description="Ends the subscription at Microsoft; billing stops and the customer loses access. This cannot be undone."
        />
      ) : null}
      <AdminActionForm
        action={resyncAction.bind(null, props.subscriptionId)}
        label="Re-sync from Microsoft"
        description="Reads the subscription from Microsoft (Get Subscription) and brings this record in line through the state machine."
      />
      {props.failedAcknowledgements.length > 0 ? (
        <AdminActionForm
          action={resendAcknowledgementAction.bind(null, props.subscriptionId)}
          label="Re-send the failed acknowledgement"
          description="Microsoft did not receive our answer to one of its operations. Send it again."
        >
          <fieldset className="space-y-1 text-sm">
            <legend className="font-medium">Acknowledgement</legend>
            {props.failedAcknowledgements.map((ack, index) => (
              <label key={ack.jobId} className="flex items-start gap-2">
                <input type="radio" name="jobId" value={ack.jobId} defaultChecked={index === 0} className="mt-1" />
                <span>
                  Job {ack.jobId}, failed {ack.at}
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
