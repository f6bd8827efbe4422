-- CreateTable
CREATE TABLE "CityRequest" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "ticketId" INTEGER NOT NULL,
    "clientId" TEXT NOT NULL,
    "serviceCode" TEXT NOT NULL,
    "addressString" TEXT,
    "addressId" TEXT,
    "lat" REAL,
    "long" REAL,
    "email" TEXT,
    "firstName" TEXT,
    "lastName" TEXT,
    "mediaUrl" TEXT,
    "attributes" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL,
    CONSTRAINT "CityRequest_ticketId_fkey" FOREIGN KEY ("ticketId") REFERENCES "Ticket" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateIndex
CREATE UNIQUE INDEX "CityRequest_ticketId_key" ON "CityRequest"("ticketId");

-- CreateIndex
CREATE INDEX "CityRequest_clientId_createdAt_idx" ON "CityRequest"("clientId", "createdAt");

-- CreateIndex
CREATE INDEX "TicketEvent_at_idx" ON "TicketEvent"("at");

