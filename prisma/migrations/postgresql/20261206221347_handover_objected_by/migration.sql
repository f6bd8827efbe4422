-- AlterTable
ALTER TABLE "Handover" ADD COLUMN     "objectedBy" TEXT;

