-- AlterTable
ALTER TABLE "Subscription" ADD COLUMN     "dataPurgedAt" TIMESTAMP(3);

-- CreateIndex
CREATE INDEX "Subscription_status_dataRetainedUntil_idx" ON "Subscription"("status", "dataRetainedUntil");
