/**
 * Every background job the portal runs. A job is defined next to the code it runs (defineJob);
 * adding one means adding it here, so every process creates its queue and the workers run it.
 */
import "server-only";
import { reconcileUsageJob } from "../metering/reconcile-usage";
import { deliverEventJob } from "../events/deliver-event";
import { submitUsageJob } from "../metering/submit-usage";
import { acknowledgeOperationJob } from "../operations/acknowledge-operation";
import { confirmAcknowledgedChangeJob } from "../operations/confirm-acknowledged-change";
import { confirmSubmittedChangeJob } from "../operations/confirm-submitted-change";
import { followActivationJob } from "../operations/follow-activation";
import { followOperationJob } from "../operations/follow-operation";
import { submitSubscriptionChangeJob } from "../operations/submit-subscription-change";
import { reconcileSubscriptionsJob } from "../reconciliation/reconcile-subscriptions";
import { pruneRecordsJob } from "../retention/prune-records";
import { purgePersonalDataJob } from "../retention/purge-personal-data";
import { processWebhookEventJob } from "../webhooks/process-webhook-event";
import { sendNotificationJob } from "../notifications/send-notification";
import { alertPendingSetupsJob } from "../notifications/alert-pending-setups";
import { checkMarketplaceCredentialsJob } from "../notifications/check-marketplace-credentials";
import type { JobDefinition } from "./define-job";

export const jobDefinitions: readonly JobDefinition[] = [
  processWebhookEventJob,
  acknowledgeOperationJob,
  submitSubscriptionChangeJob,
  followOperationJob,
  confirmSubmittedChangeJob,
  confirmAcknowledgedChangeJob,
  followActivationJob,
  reconcileSubscriptionsJob,
  submitUsageJob,
  reconcileUsageJob,
  pruneRecordsJob,
  purgePersonalDataJob,
  deliverEventJob,
  sendNotificationJob,
  alertPendingSetupsJob,
  checkMarketplaceCredentialsJob,
] as readonly JobDefinition[];
