-- Closed vocabularies: the free-text status, action and source columns become enums, converted
-- in place (USING), so no row loses its value. Indexes on them are rebuilt by ALTER TYPE.
CREATE TYPE "OperationAction" AS ENUM ('Activate', 'ChangePlan', 'ChangeQuantity', 'Unsubscribe', 'Suspend', 'Reinstate', 'Renew');
CREATE TYPE "OperationStatus" AS ENUM ('Requested', 'NotStarted', 'InProgress', 'Succeeded', 'Failed', 'Conflict');
CREATE TYPE "OperationSource" AS ENUM ('Customer', 'Publisher', 'Marketplace');
CREATE TYPE "WebhookEventStatus" AS ENUM ('received', 'processing', 'applied', 'refused', 'ignored', 'stale', 'unconfirmed', 'duplicate', 'failed');
CREATE TYPE "UsageHourStatus" AS ENUM ('pending', 'submitting', 'accepted', 'duplicate', 'expired', 'failed', 'held', 'skipped');

ALTER TABLE "Operation"
  ALTER COLUMN "action" TYPE "OperationAction" USING "action"::"OperationAction",
  ALTER COLUMN "status" TYPE "OperationStatus" USING "status"::"OperationStatus",
  ALTER COLUMN "source" TYPE "OperationSource" USING "source"::"OperationSource";

ALTER TABLE "UsageHour" ALTER COLUMN "status" DROP DEFAULT;
ALTER TABLE "UsageHour" ALTER COLUMN "status" TYPE "UsageHourStatus" USING "status"::"UsageHourStatus";
ALTER TABLE "UsageHour" ALTER COLUMN "status" SET DEFAULT 'pending';

ALTER TABLE "WebhookEvent" ALTER COLUMN "status" DROP DEFAULT;
ALTER TABLE "WebhookEvent" ALTER COLUMN "status" TYPE "WebhookEventStatus" USING "status"::"WebhookEventStatus";
ALTER TABLE "WebhookEvent" ALTER COLUMN "status" SET DEFAULT 'received';
