-- Usage reconciliation: what Microsoft's GET /usageEvents reports per subscription, dimension and
-- UTC hour or day, beside what the portal billed (lib/metering/reconcile-usage.ts).
-- CreateEnum
CREATE TYPE "UsageReconciliationOutcome" AS ENUM ('matched', 'rejected', 'mismatch', 'missing', 'pending');

-- CreateEnum
CREATE TYPE "UsagePeriod" AS ENUM ('hour', 'day');

-- CreateTable
CREATE TABLE "UsageReconciliation" (
    "id" BIGSERIAL NOT NULL,
    "subscriptionId" TEXT NOT NULL,
    "dimension" TEXT NOT NULL,
    "period" "UsagePeriod" NOT NULL,
    "periodStart" TIMESTAMPTZ(3) NOT NULL,
    "planId" TEXT,
    "planName" TEXT,
    "offerId" TEXT,
    "offerName" TEXT,
    "ourQuantity" DECIMAL(38,9) NOT NULL,
    "ourHours" INTEGER NOT NULL,
    "submittedQuantity" DECIMAL(38,9),
    "processedQuantity" DECIMAL(38,9),
    "submittedCount" INTEGER,
    "reconStatus" TEXT,
    "outcome" "UsageReconciliationOutcome" NOT NULL,
    "reason" TEXT,
    "outcomeSince" TIMESTAMPTZ(3) NOT NULL,
    "checkedAt" TIMESTAMPTZ(3) NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "UsageReconciliation_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "UsageReconciliation_outcome_periodStart_idx" ON "UsageReconciliation"("outcome", "periodStart");

-- CreateIndex
CREATE INDEX "UsageReconciliation_periodStart_idx" ON "UsageReconciliation"("periodStart");

-- CreateIndex
CREATE UNIQUE INDEX "UsageReconciliation_subscriptionId_dimension_period_periodS_key" ON "UsageReconciliation"("subscriptionId", "dimension", "period", "periodStart");
