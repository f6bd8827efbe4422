-- AlterTable
ALTER TABLE "Ticket" ADD COLUMN "incidentId" INTEGER;

-- AlterTable
ALTER TABLE "Handover" ADD COLUMN "objectedAt" DATETIME;
ALTER TABLE "Handover" ADD COLUMN "objection" TEXT;

-- CreateTable
CREATE TABLE "Incident" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "number" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "scope" TEXT NOT NULL,
    "cause" TEXT NOT NULL,
    "severity" TEXT NOT NULL DEFAULT 'normal',
    "branchIds" TEXT NOT NULL,
    "communityIds" TEXT NOT NULL,
    "stationIds" TEXT NOT NULL,
    "expectedAt" DATETIME,
    "resolveDueAt" DATETIME NOT NULL,
    "declaredBy" TEXT NOT NULL,
    "declaredAt" DATETIME NOT NULL,
    "restoredAt" DATETIME,
    "restoredBy" TEXT,
    "proposalKey" TEXT,
    "linkedCount" INTEGER NOT NULL DEFAULT 0,
    "version" INTEGER NOT NULL DEFAULT 0,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "IncidentArea" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "incidentId" INTEGER NOT NULL,
    "communityId" TEXT NOT NULL,
    "openCommunity" TEXT
);

-- CreateTable
CREATE TABLE "IncidentEvent" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "incidentId" INTEGER NOT NULL,
    "at" DATETIME NOT NULL,
    "type" TEXT NOT NULL,
    "actor" TEXT NOT NULL,
    "note" TEXT,
    "data" TEXT
);

-- CreateTable
CREATE TABLE "IncidentCard" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "incidentId" INTEGER NOT NULL,
    "channel" TEXT NOT NULL,
    "ts" TEXT NOT NULL
);

-- CreateTable
CREATE TABLE "DutyAssignment" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "branchId" TEXT,
    "unitId" TEXT,
    "staffId" TEXT NOT NULL,
    "from" DATETIME NOT NULL,
    "until" DATETIME,
    "source" TEXT NOT NULL,
    "handoverId" INTEGER
);

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_OutboxMessage" (
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
    "priority" INTEGER NOT NULL DEFAULT 2,
    "createdAt" DATETIME NOT NULL,
    "sentAt" DATETIME
);
INSERT INTO "new_OutboxMessage" ("attempts", "createdAt", "id", "key", "kind", "lastError", "leaseOwner", "leaseUntil", "nextAt", "payload", "platform", "result", "sentAt", "state", "target") SELECT "attempts", "createdAt", "id", "key", "kind", "lastError", "leaseOwner", "leaseUntil", "nextAt", "payload", "platform", "result", "sentAt", "state", "target" FROM "OutboxMessage";
DROP TABLE "OutboxMessage";
ALTER TABLE "new_OutboxMessage" RENAME TO "OutboxMessage";
CREATE UNIQUE INDEX "OutboxMessage_key_key" ON "OutboxMessage"("key");
CREATE INDEX "OutboxMessage_state_nextAt_idx" ON "OutboxMessage"("state", "nextAt");
CREATE INDEX "OutboxMessage_state_platform_priority_id_idx" ON "OutboxMessage"("state", "platform", "priority", "id");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

-- CreateIndex
CREATE UNIQUE INDEX "Incident_number_key" ON "Incident"("number");

-- CreateIndex
CREATE UNIQUE INDEX "Incident_proposalKey_key" ON "Incident"("proposalKey");

-- CreateIndex
CREATE INDEX "Incident_status_declaredAt_idx" ON "Incident"("status", "declaredAt");

-- CreateIndex
CREATE UNIQUE INDEX "IncidentArea_openCommunity_key" ON "IncidentArea"("openCommunity");

-- CreateIndex
CREATE INDEX "IncidentArea_incidentId_idx" ON "IncidentArea"("incidentId");

-- CreateIndex
CREATE INDEX "IncidentEvent_incidentId_at_idx" ON "IncidentEvent"("incidentId", "at");

-- CreateIndex
CREATE UNIQUE INDEX "IncidentCard_incidentId_channel_key" ON "IncidentCard"("incidentId", "channel");

-- CreateIndex
CREATE INDEX "DutyAssignment_branchId_unitId_from_idx" ON "DutyAssignment"("branchId", "unitId", "from");

-- CreateIndex
CREATE INDEX "Ticket_incidentId_idx" ON "Ticket"("incidentId");

-- CreateIndex
CREATE INDEX "Ticket_communityId_createdAt_idx" ON "Ticket"("communityId", "createdAt");

