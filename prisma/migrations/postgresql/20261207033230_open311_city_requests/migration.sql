-- CreateTable
CREATE TABLE "CityRequest" (
    "id" SERIAL NOT NULL,
    "ticketId" INTEGER NOT NULL,
    "clientId" TEXT NOT NULL,
    "serviceCode" TEXT NOT NULL,
    "addressString" TEXT,
    "addressId" TEXT,
    "lat" DOUBLE PRECISION,
    "long" DOUBLE PRECISION,
    "email" TEXT,
    "firstName" TEXT,
    "lastName" TEXT,
    "mediaUrl" TEXT,
    "attributes" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "CityRequest_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "CityRequest_ticketId_key" ON "CityRequest"("ticketId");

-- CreateIndex
CREATE INDEX "CityRequest_clientId_createdAt_idx" ON "CityRequest"("clientId", "createdAt");

-- CreateIndex
CREATE INDEX "TicketEvent_at_idx" ON "TicketEvent"("at");

-- AddForeignKey
ALTER TABLE "CityRequest" ADD CONSTRAINT "CityRequest_ticketId_fkey" FOREIGN KEY ("ticketId") REFERENCES "Ticket"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

