-- CreateEnum
CREATE TYPE "SetupState" AS ENUM ('pending', 'complete');

-- CreateEnum
CREATE TYPE "ActivatedBy" AS ENUM ('portal', 'marketplace');

-- AlterTable
ALTER TABLE "Subscription" ADD COLUMN     "activatedBy" "ActivatedBy",
ADD COLUMN     "marketplaceStatus" TEXT,
ADD COLUMN     "setupCompletedAt" TIMESTAMP(3),
ADD COLUMN     "setupState" "SetupState" NOT NULL DEFAULT 'pending';

-- CreateIndex
CREATE INDEX "Subscription_setupState_status_createdAt_idx" ON "Subscription"("setupState", "status", "createdAt");

-- Backfill. Before auto-activation every live subscription was activated by our own Activate call
-- (the buyer's landing page or the publisher's console), and its account counts as set up.
-- Rows still waiting for activation stay pending. Microsoft's raw status starts as ours.
UPDATE "Subscription" SET "marketplaceStatus" = "status"::text WHERE "marketplaceStatus" IS NULL;

UPDATE "Subscription"
SET "activatedBy" = 'portal'
WHERE "activatedBy" IS NULL AND ("activatedAt" IS NOT NULL OR "status" IN ('Subscribed', 'Suspended'));

UPDATE "Subscription"
SET "setupState" = 'complete', "setupCompletedAt" = COALESCE("activatedAt", "updatedAt")
WHERE "status" IN ('Subscribed', 'Suspended') OR ("status" = 'Unsubscribed' AND "activatedAt" IS NOT NULL);
