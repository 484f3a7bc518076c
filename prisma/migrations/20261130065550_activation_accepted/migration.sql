-- AlterTable
ALTER TABLE "Operation" ADD COLUMN     "acceptedAt" TIMESTAMP(3);
