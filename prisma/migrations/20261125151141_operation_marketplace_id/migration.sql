-- AlterTable
ALTER TABLE "Operation" ADD COLUMN     "marketplaceOperationId" TEXT;

-- CreateIndex
CREATE UNIQUE INDEX "Operation_marketplaceOperationId_key" ON "Operation"("marketplaceOperationId");
