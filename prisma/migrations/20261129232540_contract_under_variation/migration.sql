-- A webhook delivery is keyed by its body, only one confirmed with Microsoft holds (operation id, action).
DROP INDEX "WebhookEvent_operationId_action_key";

ALTER TABLE "Operation" ADD COLUMN     "confirmUntil" TIMESTAMP(3),
ADD COLUMN     "submittedAt" TIMESTAMP(3);

ALTER TABLE "WebhookEvent" ADD COLUMN     "payloadHash" TEXT,
ADD COLUMN     "verifiedKey" TEXT;

-- Existing rows: each is its own body, those that were confirmed with Microsoft (applied, stale,
-- ignored, or refused by the publisher's policy) keep the (operation id, action) key.
UPDATE "WebhookEvent" SET "payloadHash" = "id";
UPDATE "WebhookEvent" SET "verifiedKey" = "operationId" || ':' || "action"
  WHERE "status" IN ('applied', 'stale', 'ignored') OR ("status" = 'refused' AND "outcome" LIKE 'Refused:%');
-- Deliveries Microsoft did not confirm are now called "unconfirmed", "refused" means the publisher refused the change.
UPDATE "WebhookEvent" SET "status" = 'unconfirmed' WHERE "status" = 'refused' AND "verifiedKey" IS NULL;

ALTER TABLE "WebhookEvent" ALTER COLUMN "payloadHash" SET NOT NULL;

CREATE UNIQUE INDEX "WebhookEvent_verifiedKey_key" ON "WebhookEvent"("verifiedKey");

CREATE UNIQUE INDEX "WebhookEvent_operationId_action_payloadHash_key" ON "WebhookEvent"("operationId", "action", "payloadHash");
