-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "public";

-- CreateTable
CREATE TABLE "Customer" (
    "id" SERIAL NOT NULL,
    "account" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "phone" TEXT NOT NULL,
    "address" TEXT NOT NULL,
    "communityId" TEXT NOT NULL,
    "building" TEXT,
    "unit" TEXT,
    "room" TEXT,
    "areaM2" DOUBLE PRECISION,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Customer_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Resident" (
    "id" SERIAL NOT NULL,
    "telegramUserId" TEXT NOT NULL,
    "chatId" TEXT NOT NULL,
    "locale" TEXT NOT NULL DEFAULT 'zh-CN',
    "customerId" INTEGER,
    "communityId" TEXT,
    "address" TEXT,
    "bindFailures" INTEGER NOT NULL DEFAULT 0,
    "bindLockedUntil" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Resident_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Ticket" (
    "id" SERIAL NOT NULL,
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
    "ackDueAt" TIMESTAMP(3),
    "arriveDueAt" TIMESTAMP(3),
    "resolveDueAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "dispatchedAt" TIMESTAMP(3),
    "acceptedAt" TIMESTAMP(3),
    "arrivedAt" TIMESTAMP(3),
    "resolvedAt" TIMESTAMP(3),
    "closedAt" TIMESTAMP(3),
    "cancelledAt" TIMESTAMP(3),
    "overdueAt" TIMESTAMP(3),
    "satisfaction" TEXT,
    "updatedAt" TIMESTAMP(3) NOT NULL,
    "version" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "Ticket_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "TicketCounter" (
    "key" TEXT NOT NULL,
    "value" INTEGER NOT NULL,

    CONSTRAINT "TicketCounter_pkey" PRIMARY KEY ("key")
);

-- CreateTable
CREATE TABLE "TicketEvent" (
    "id" SERIAL NOT NULL,
    "ticketId" INTEGER NOT NULL,
    "at" TIMESTAMP(3) NOT NULL,
    "type" TEXT NOT NULL,
    "actor" TEXT NOT NULL,
    "fromStatus" TEXT,
    "toStatus" TEXT,
    "note" TEXT,
    "data" TEXT,

    CONSTRAINT "TicketEvent_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "TicketPhoto" (
    "id" SERIAL NOT NULL,
    "ticketId" INTEGER NOT NULL,
    "fileId" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "TicketPhoto_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ServiceForm" (
    "id" SERIAL NOT NULL,
    "ticketId" INTEGER NOT NULL,
    "workDone" TEXT NOT NULL,
    "materials" TEXT,
    "feesCents" INTEGER NOT NULL DEFAULT 0,
    "effect" TEXT,
    "afterSalesTerms" TEXT,
    "signed" BOOLEAN NOT NULL DEFAULT false,
    "customerConfirmed" BOOLEAN NOT NULL DEFAULT false,
    "customerOpinion" TEXT,
    "confirmedAt" TIMESTAMP(3),
    "serviceDate" TIMESTAMP(3) NOT NULL,
    "hqReturnedAt" TIMESTAMP(3),
    "createdBy" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ServiceForm_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Callback" (
    "id" SERIAL NOT NULL,
    "ticketId" INTEGER NOT NULL,
    "channel" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "result" TEXT,
    "comment" TEXT,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "agentId" TEXT,
    "customerKey" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL,
    "answeredAt" TIMESTAMP(3),

    CONSTRAINT "Callback_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "DutyLogEntry" (
    "id" SERIAL NOT NULL,
    "staffId" TEXT NOT NULL,
    "branchId" TEXT,
    "text" TEXT NOT NULL,
    "ticketNumber" TEXT,
    "at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "DutyLogEntry_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Handover" (
    "id" SERIAL NOT NULL,
    "branchId" TEXT,
    "outgoingStaffId" TEXT NOT NULL,
    "outgoingSignedAt" TIMESTAMP(3) NOT NULL,
    "summary" TEXT NOT NULL,
    "openUrgent" TEXT,
    "incomingStaffId" TEXT,
    "incomingSignedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Handover_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ScheduledAlert" (
    "id" SERIAL NOT NULL,
    "key" TEXT NOT NULL,
    "ticketId" INTEGER,
    "kind" TEXT NOT NULL,
    "dueAt" TIMESTAMP(3) NOT NULL,
    "firedAt" TIMESTAMP(3),
    "cancelledAt" TIMESTAMP(3),
    "leaseOwner" TEXT,
    "leaseUntil" TIMESTAMP(3),
    "data" TEXT,

    CONSTRAINT "ScheduledAlert_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "OutboxMessage" (
    "id" SERIAL NOT NULL,
    "key" TEXT NOT NULL,
    "platform" TEXT NOT NULL,
    "target" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "payload" TEXT NOT NULL,
    "state" TEXT NOT NULL DEFAULT 'pending',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "nextAt" TIMESTAMP(3) NOT NULL,
    "lastError" TEXT,
    "leaseOwner" TEXT,
    "leaseUntil" TIMESTAMP(3),
    "result" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL,
    "sentAt" TIMESTAMP(3),

    CONSTRAINT "OutboxMessage_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "InboundReceipt" (
    "key" TEXT NOT NULL,
    "receivedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "InboundReceipt_pkey" PRIMARY KEY ("key")
);

-- CreateTable
CREATE TABLE "SlackCard" (
    "id" SERIAL NOT NULL,
    "ticketId" INTEGER NOT NULL,
    "channel" TEXT NOT NULL,
    "ts" TEXT NOT NULL,
    "purpose" TEXT NOT NULL,

    CONSTRAINT "SlackCard_pkey" PRIMARY KEY ("id")
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

-- AddForeignKey
ALTER TABLE "Resident" ADD CONSTRAINT "Resident_customerId_fkey" FOREIGN KEY ("customerId") REFERENCES "Customer"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Ticket" ADD CONSTRAINT "Ticket_customerId_fkey" FOREIGN KEY ("customerId") REFERENCES "Customer"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Ticket" ADD CONSTRAINT "Ticket_residentId_fkey" FOREIGN KEY ("residentId") REFERENCES "Resident"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "TicketEvent" ADD CONSTRAINT "TicketEvent_ticketId_fkey" FOREIGN KEY ("ticketId") REFERENCES "Ticket"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "TicketPhoto" ADD CONSTRAINT "TicketPhoto_ticketId_fkey" FOREIGN KEY ("ticketId") REFERENCES "Ticket"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ServiceForm" ADD CONSTRAINT "ServiceForm_ticketId_fkey" FOREIGN KEY ("ticketId") REFERENCES "Ticket"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Callback" ADD CONSTRAINT "Callback_ticketId_fkey" FOREIGN KEY ("ticketId") REFERENCES "Ticket"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

