-- CreateTable
CREATE TABLE "SubscriptionMember" (
    "subscriptionId" TEXT NOT NULL,
    "tenantId" TEXT NOT NULL,
    "userOid" TEXT NOT NULL,
    "invitedByTid" TEXT NOT NULL,
    "invitedByOid" TEXT NOT NULL,
    "inviteId" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "SubscriptionMember_pkey" PRIMARY KEY ("subscriptionId","tenantId","userOid")
);

-- CreateTable
CREATE TABLE "SubscriptionInvite" (
    "id" TEXT NOT NULL,
    "subscriptionId" TEXT NOT NULL,
    "tokenHash" TEXT NOT NULL,
    "createdByTid" TEXT NOT NULL,
    "createdByOid" TEXT NOT NULL,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "acceptedAt" TIMESTAMP(3),
    "acceptedByTid" TEXT,
    "acceptedByOid" TEXT,
    "revokedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "SubscriptionInvite_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "SubscriptionMember_tenantId_userOid_idx" ON "SubscriptionMember"("tenantId", "userOid");

-- CreateIndex
CREATE UNIQUE INDEX "SubscriptionInvite_tokenHash_key" ON "SubscriptionInvite"("tokenHash");

-- CreateIndex
CREATE INDEX "SubscriptionInvite_subscriptionId_createdAt_idx" ON "SubscriptionInvite"("subscriptionId", "createdAt");

-- AddForeignKey
ALTER TABLE "SubscriptionMember" ADD CONSTRAINT "SubscriptionMember_subscriptionId_fkey" FOREIGN KEY ("subscriptionId") REFERENCES "Subscription"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SubscriptionInvite" ADD CONSTRAINT "SubscriptionInvite_subscriptionId_fkey" FOREIGN KEY ("subscriptionId") REFERENCES "Subscription"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
