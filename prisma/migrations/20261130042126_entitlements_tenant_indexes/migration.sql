-- A tenant's subscriptions in id order, a page at a time (the entitlements API's list): the tenant
-- indexes gain the id, so each page is an ordered range scan. Equality look-ups by tenant use them as before.
-- DropIndex
DROP INDEX "Subscription_beneficiaryTenantId_idx";

-- DropIndex
DROP INDEX "Subscription_purchaserTenantId_idx";

-- CreateIndex
CREATE INDEX "Subscription_beneficiaryTenantId_id_idx" ON "Subscription"("beneficiaryTenantId", "id");

-- CreateIndex
CREATE INDEX "Subscription_purchaserTenantId_id_idx" ON "Subscription"("purchaserTenantId", "id");
