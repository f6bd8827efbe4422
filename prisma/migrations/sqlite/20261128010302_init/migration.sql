-- CreateTable
CREATE TABLE "Customer" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "account" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "phone" TEXT NOT NULL,
    "address" TEXT NOT NULL,
    "communityId" TEXT NOT NULL,
    "building" TEXT,
    "unit" TEXT,
    "room" TEXT,
    "areaM2" REAL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "Resident" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "telegramUserId" TEXT NOT NULL,
    "chatId" TEXT NOT NULL,
    "locale" TEXT NOT NULL DEFAULT 'zh-CN',
    "customerId" INTEGER,
    "communityId" TEXT,
    "address" TEXT,
    "bindFailures" INTEGER NOT NULL DEFAULT 0,
    "bindLockedUntil" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "Resident_customerId_fkey" FOREIGN KEY ("customerId") REFERENCES "Customer" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "Ticket" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "number" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "category" TEXT NOT NULL,
    "scope" TEXT NOT NULL DEFAULT 'secondary',
    "severity" TEXT NOT NULL DEFAULT 'normal',
    "source" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "description" TEXT NOT NULL,
    "topic" TEXT,
    "customerId" INTEGER,
    "residentId" INTEGER,
    "verified" BOOLEAN NOT NULL DEFAULT false,
    "contactName" TEXT,
    "contactPhone" TEXT,
    "communityId" TEXT,
    "address" TEXT,
    "building" TEXT,
    "unit" TEXT,
    "room" TEXT,
    "firstResponder" TEXT NOT NULL,
    "branchId" TEXT,
    "unitId" TEXT,
    "assigneeId" TEXT,
    "duplicateOfId" INTEGER,
    "transferCount" INTEGER NOT NULL DEFAULT 0,
    "reopenCount" INTEGER NOT NULL DEFAULT 0,
    "paidMaterials" TEXT,
    "conductStaffId" TEXT,
    "conductConfirmed" BOOLEAN NOT NULL DEFAULT false,
    "ackDueAt" DATETIME,
    "arriveDueAt" DATETIME,
    "resolveDueAt" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "dispatchedAt" DATETIME,
    "acceptedAt" DATETIME,
    "arrivedAt" DATETIME,
    "resolvedAt" DATETIME,
    "closedAt" DATETIME,
    "cancelledAt" DATETIME,
    "overdueAt" DATETIME,
    "satisfaction" TEXT,
    "updatedAt" DATETIME NOT NULL,
    "version" INTEGER NOT NULL DEFAULT 0,
    CONSTRAINT "Ticket_customerId_fkey" FOREIGN KEY ("customerId") REFERENCES "Customer" ("id") ON DELETE SET NULL ON UPDATE CASCADE,
    CONSTRAINT "Ticket_residentId_fkey" FOREIGN KEY ("residentId") REFERENCES "Resident" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "TicketCounter" (
    "key" TEXT NOT NULL PRIMARY KEY,
    "value" INTEGER NOT NULL
);

-- CreateTable
CREATE TABLE "TicketEvent" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "ticketId" INTEGER NOT NULL,
    "at" DATETIME NOT NULL,
    "type" TEXT NOT NULL,
    "actor" TEXT NOT NULL,
    "fromStatus" TEXT,
    "toStatus" TEXT,
    "note" TEXT,
    "data" TEXT,
    CONSTRAINT "TicketEvent_ticketId_fkey" FOREIGN KEY ("ticketId") REFERENCES "Ticket" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "TicketPhoto" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "ticketId" INTEGER NOT NULL,
    "fileId" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "TicketPhoto_ticketId_fkey" FOREIGN KEY ("ticketId") REFERENCES "Ticket" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "ServiceForm" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "ticketId" INTEGER NOT NULL,
    "workDone" TEXT NOT NULL,
    "materials" TEXT,
    "feesCents" INTEGER NOT NULL DEFAULT 0,
    "effect" TEXT,
    "afterSalesTerms" TEXT,
    "signed" BOOLEAN NOT NULL DEFAULT false,
    "customerConfirmed" BOOLEAN NOT NULL DEFAULT false,
    "customerOpinion" TEXT,
    "confirmedAt" DATETIME,
    "serviceDate" DATETIME NOT NULL,
    "hqReturnedAt" DATETIME,
    "createdBy" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "ServiceForm_ticketId_fkey" FOREIGN KEY ("ticketId") REFERENCES "Ticket" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "Callback" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "ticketId" INTEGER NOT NULL,
    "channel" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "result" TEXT,
    "comment" TEXT,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "agentId" TEXT,
    "customerKey" TEXT,
    "createdAt" DATETIME NOT NULL,
    "answeredAt" DATETIME,
    CONSTRAINT "Callback_ticketId_fkey" FOREIGN KEY ("ticketId") REFERENCES "Ticket" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "DutyLogEntry" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "staffId" TEXT NOT NULL,
    "branchId" TEXT,
    "text" TEXT NOT NULL,
    "ticketNumber" TEXT,
    "at" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "Handover" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "branchId" TEXT,
    "outgoingStaffId" TEXT NOT NULL,
    "outgoingSignedAt" DATETIME NOT NULL,
    "summary" TEXT NOT NULL,
    "openUrgent" TEXT,
    "incomingStaffId" TEXT,
    "incomingSignedAt" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateTable
CREATE TABLE "ScheduledAlert" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "key" TEXT NOT NULL,
    "ticketId" INTEGER,
    "kind" TEXT NOT NULL,
    "dueAt" DATETIME NOT NULL,
    "firedAt" DATETIME,
    "cancelledAt" DATETIME,
    "leaseOwner" TEXT,
    "leaseUntil" DATETIME,
    "data" TEXT
);

-- CreateTable
CREATE TABLE "OutboxMessage" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "key" TEXT NOT NULL,
    "platform" TEXT NOT NULL,
    "target" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "payload" TEXT NOT NULL,
    "state" TEXT NOT NULL DEFAULT 'pending',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "nextAt" DATETIME NOT NULL,
    "lastError" TEXT,
    "leaseOwner" TEXT,
    "leaseUntil" DATETIME,
    "result" TEXT,
    "createdAt" DATETIME NOT NULL,
    "sentAt" DATETIME
);

-- CreateTable
CREATE TABLE "InboundReceipt" (
    "key" TEXT NOT NULL PRIMARY KEY,
    "receivedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "SlackCard" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "ticketId" INTEGER NOT NULL,
    "channel" TEXT NOT NULL,
    "ts" TEXT NOT NULL,
    "purpose" TEXT NOT NULL
);

-- CreateIndex
CREATE UNIQUE INDEX "Customer_account_key" ON "Customer"("account");

-- CreateIndex
CREATE INDEX "Customer_communityId_idx" ON "Customer"("communityId");

-- CreateIndex
CREATE UNIQUE INDEX "Resident_telegramUserId_key" ON "Resident"("telegramUserId");

-- CreateIndex
CREATE INDEX "Resident_customerId_idx" ON "Resident"("customerId");

-- CreateIndex
CREATE UNIQUE INDEX "Ticket_number_key" ON "Ticket"("number");

-- CreateIndex
CREATE INDEX "Ticket_branchId_createdAt_idx" ON "Ticket"("branchId", "createdAt");

-- CreateIndex
CREATE INDEX "Ticket_status_branchId_idx" ON "Ticket"("status", "branchId");

-- CreateIndex
CREATE INDEX "Ticket_residentId_status_idx" ON "Ticket"("residentId", "status");

-- CreateIndex
CREATE INDEX "Ticket_createdAt_idx" ON "Ticket"("createdAt");

-- CreateIndex
CREATE INDEX "Ticket_resolvedAt_idx" ON "Ticket"("resolvedAt");

-- CreateIndex
CREATE INDEX "TicketEvent_ticketId_at_idx" ON "TicketEvent"("ticketId", "at");

-- CreateIndex
CREATE INDEX "TicketPhoto_ticketId_idx" ON "TicketPhoto"("ticketId");

-- CreateIndex
CREATE UNIQUE INDEX "ServiceForm_ticketId_key" ON "ServiceForm"("ticketId");

-- CreateIndex
CREATE INDEX "ServiceForm_hqReturnedAt_serviceDate_idx" ON "ServiceForm"("hqReturnedAt", "serviceDate");

-- CreateIndex
CREATE INDEX "Callback_ticketId_idx" ON "Callback"("ticketId");

-- CreateIndex
CREATE INDEX "Callback_status_createdAt_idx" ON "Callback"("status", "createdAt");

-- CreateIndex
CREATE INDEX "Callback_answeredAt_idx" ON "Callback"("answeredAt");

-- CreateIndex
CREATE INDEX "DutyLogEntry_at_idx" ON "DutyLogEntry"("at");

-- CreateIndex
CREATE INDEX "Handover_createdAt_idx" ON "Handover"("createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "ScheduledAlert_key_key" ON "ScheduledAlert"("key");

-- CreateIndex
CREATE INDEX "ScheduledAlert_firedAt_dueAt_idx" ON "ScheduledAlert"("firedAt", "dueAt");

-- CreateIndex
CREATE INDEX "ScheduledAlert_ticketId_idx" ON "ScheduledAlert"("ticketId");

-- CreateIndex
CREATE UNIQUE INDEX "OutboxMessage_key_key" ON "OutboxMessage"("key");

-- CreateIndex
CREATE INDEX "OutboxMessage_state_nextAt_idx" ON "OutboxMessage"("state", "nextAt");

-- CreateIndex
CREATE INDEX "InboundReceipt_receivedAt_idx" ON "InboundReceipt"("receivedAt");

-- CreateIndex
CREATE UNIQUE INDEX "SlackCard_ticketId_purpose_key" ON "SlackCard"("ticketId", "purpose");

