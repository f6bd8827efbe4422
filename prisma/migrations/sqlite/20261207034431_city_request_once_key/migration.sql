-- AlterTable
ALTER TABLE "CityRequest" ADD COLUMN "onceKey" TEXT;

-- CreateIndex
CREATE UNIQUE INDEX "CityRequest_clientId_onceKey_key" ON "CityRequest"("clientId", "onceKey");

