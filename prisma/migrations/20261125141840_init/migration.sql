-- CreateEnum
CREATE TYPE "SubscriptionStatus" AS ENUM ('NotStarted', 'PendingFulfillmentStart', 'Subscribed', 'Suspended', 'Unsubscribed');

-- CreateTable
CREATE TABLE "Tenant" (
    "id" TEXT NOT NULL,
    "name" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Tenant_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "User" (
    "tid" TEXT NOT NULL,
    "oid" TEXT NOT NULL,
    "name" TEXT,
    "email" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastSignInAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "User_pkey" PRIMARY KEY ("tid","oid")
);

-- CreateTable
CREATE TABLE "Subscription" (
    "id" TEXT NOT NULL,
    "publisherId" TEXT,
    "offerId" TEXT NOT NULL,
    "planId" TEXT NOT NULL,
    "quantity" INTEGER,
    "name" TEXT NOT NULL,
    "status" "SubscriptionStatus" NOT NULL,
    "beneficiaryTenantId" TEXT,
    "beneficiaryObjectId" TEXT,
    "beneficiaryEmail" TEXT,
    "beneficiaryPuid" TEXT,
    "purchaserTenantId" TEXT,
    "purchaserObjectId" TEXT,
    "purchaserEmail" TEXT,
    "purchaserPuid" TEXT,
    "termUnit" TEXT,
    "termStartDate" TIMESTAMP(3),
    "termEndDate" TIMESTAMP(3),
    "termChargeDuration" TEXT,
    "autoRenew" BOOLEAN NOT NULL DEFAULT true,
    "isTest" BOOLEAN NOT NULL DEFAULT false,
    "isFreeTrial" BOOLEAN NOT NULL DEFAULT false,
    "allowedCustomerOperations" TEXT[],
    "sandboxType" TEXT,
    "sessionMode" TEXT,
    "marketplaceCreatedAt" TIMESTAMP(3),
    "marketplaceModifiedAt" TIMESTAMP(3),
    "accountConfig" JSONB,
    "ownerTenantId" TEXT,
    "ownerUserOid" TEXT,
    "activationRequestedAt" TIMESTAMP(3),
    "activatedAt" TIMESTAMP(3),
    "lastSyncedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Subscription_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Operation" (
    "id" TEXT NOT NULL,
    "subscriptionId" TEXT NOT NULL,
    "action" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "source" TEXT NOT NULL,
    "requestedPlanId" TEXT,
    "requestedQuantity" INTEGER,
    "actorTid" TEXT,
    "actorOid" TEXT,
    "operationLocation" TEXT,
    "errorMessage" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,
    "completedAt" TIMESTAMP(3),

    CONSTRAINT "Operation_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AuditEvent" (
    "id" BIGSERIAL NOT NULL,
    "subscriptionId" TEXT,
    "actorType" TEXT NOT NULL,
    "actorTid" TEXT,
    "actorOid" TEXT,
    "action" TEXT NOT NULL,
    "fromStatus" "SubscriptionStatus",
    "toStatus" "SubscriptionStatus",
    "detail" JSONB,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "AuditEvent_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "Subscription_beneficiaryTenantId_idx" ON "Subscription"("beneficiaryTenantId");

-- CreateIndex
CREATE INDEX "Subscription_purchaserTenantId_idx" ON "Subscription"("purchaserTenantId");

-- CreateIndex
CREATE INDEX "Subscription_ownerTenantId_ownerUserOid_idx" ON "Subscription"("ownerTenantId", "ownerUserOid");

-- CreateIndex
CREATE INDEX "Subscription_status_idx" ON "Subscription"("status");

-- CreateIndex
CREATE INDEX "Subscription_offerId_planId_idx" ON "Subscription"("offerId", "planId");

-- CreateIndex
CREATE INDEX "Operation_subscriptionId_createdAt_idx" ON "Operation"("subscriptionId", "createdAt");

-- CreateIndex
CREATE INDEX "Operation_status_idx" ON "Operation"("status");

-- CreateIndex
CREATE INDEX "AuditEvent_subscriptionId_createdAt_idx" ON "AuditEvent"("subscriptionId", "createdAt");

-- CreateIndex
CREATE INDEX "AuditEvent_createdAt_idx" ON "AuditEvent"("createdAt");

-- AddForeignKey
ALTER TABLE "User" ADD CONSTRAINT "User_tid_fkey" FOREIGN KEY ("tid") REFERENCES "Tenant"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Subscription" ADD CONSTRAINT "Subscription_ownerTenantId_fkey" FOREIGN KEY ("ownerTenantId") REFERENCES "Tenant"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Operation" ADD CONSTRAINT "Operation_subscriptionId_fkey" FOREIGN KEY ("subscriptionId") REFERENCES "Subscription"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AuditEvent" ADD CONSTRAINT "AuditEvent_subscriptionId_fkey" FOREIGN KEY ("subscriptionId") REFERENCES "Subscription"("id") ON DELETE SET NULL ON UPDATE CASCADE;
