-- CreateTable
CREATE TABLE "ApiKey" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "prefix" TEXT NOT NULL,
    "secretHash" TEXT NOT NULL,
    "scopes" TEXT[],
    "offerIds" TEXT[],
    "tenantIds" TEXT[],
    "createdByTid" TEXT NOT NULL,
    "createdByOid" TEXT NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastUsedAt" TIMESTAMPTZ(3),
    "revokedAt" TIMESTAMPTZ(3),
    "revokedByTid" TEXT,
    "revokedByOid" TEXT,

    CONSTRAINT "ApiKey_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "UsageRecord" (
    "id" BIGSERIAL NOT NULL,
    "apiKeyId" TEXT NOT NULL,
    "idempotencyKey" TEXT NOT NULL,
    "requestHash" TEXT NOT NULL,
    "subscriptionId" TEXT NOT NULL,
    "dimension" TEXT NOT NULL,
    "quantity" DECIMAL(38,9) NOT NULL,
    "effectiveAt" TIMESTAMPTZ(3) NOT NULL,
    "hourStart" TIMESTAMPTZ(3) NOT NULL,
    "planId" TEXT NOT NULL,
    "receivedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "usageHourId" BIGINT,

    CONSTRAINT "UsageRecord_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "UsageHour" (
    "id" BIGSERIAL NOT NULL,
    "subscriptionId" TEXT NOT NULL,
    "dimension" TEXT NOT NULL,
    "hourStart" TIMESTAMPTZ(3) NOT NULL,
    "planId" TEXT NOT NULL,
    "quantity" DECIMAL(38,9) NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "usageEventId" TEXT,
    "submittedQuantity" DECIMAL(38,9),
    "billedQuantity" DECIMAL(38,9),
    "lastStatus" TEXT,
    "lastError" TEXT,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "nextAttemptAt" TIMESTAMPTZ(3),
    "submittedAt" TIMESTAMPTZ(3),
    "batchId" TEXT,
    "resolvedAt" TIMESTAMPTZ(3),
    "quantityMismatch" BOOLEAN NOT NULL DEFAULT false,
    "expiryWarnedAt" TIMESTAMPTZ(3),
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "UsageHour_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "ApiKey_prefix_key" ON "ApiKey"("prefix");

-- CreateIndex
CREATE INDEX "UsageRecord_usageHourId_hourStart_idx" ON "UsageRecord"("usageHourId", "hourStart");

-- CreateIndex
CREATE INDEX "UsageRecord_subscriptionId_dimension_hourStart_idx" ON "UsageRecord"("subscriptionId", "dimension", "hourStart");

-- CreateIndex
CREATE UNIQUE INDEX "UsageRecord_apiKeyId_idempotencyKey_key" ON "UsageRecord"("apiKeyId", "idempotencyKey");

-- CreateIndex
CREATE INDEX "UsageHour_status_hourStart_idx" ON "UsageHour"("status", "hourStart");

-- CreateIndex
CREATE INDEX "UsageHour_hourStart_idx" ON "UsageHour"("hourStart");

-- CreateIndex
CREATE UNIQUE INDEX "UsageHour_subscriptionId_dimension_hourStart_key" ON "UsageHour"("subscriptionId", "dimension", "hourStart");

-- AddForeignKey
ALTER TABLE "UsageRecord" ADD CONSTRAINT "UsageRecord_apiKeyId_fkey" FOREIGN KEY ("apiKeyId") REFERENCES "ApiKey"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "UsageRecord" ADD CONSTRAINT "UsageRecord_usageHourId_fkey" FOREIGN KEY ("usageHourId") REFERENCES "UsageHour"("id") ON DELETE SET NULL ON UPDATE CASCADE;
