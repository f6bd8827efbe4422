-- DropIndex
DROP INDEX "OutboxMessage_state_platform_id_idx";

-- AlterTable
ALTER TABLE "Ticket" ADD COLUMN     "incidentId" INTEGER;

-- AlterTable
ALTER TABLE "Handover" ADD COLUMN     "objectedAt" TIMESTAMP(3),
ADD COLUMN     "objection" TEXT;

-- AlterTable
ALTER TABLE "OutboxMessage" ADD COLUMN     "priority" INTEGER NOT NULL DEFAULT 2;

-- CreateTable
CREATE TABLE "Incident" (
    "id" SERIAL NOT NULL,
    "number" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "scope" TEXT NOT NULL,
    "cause" TEXT NOT NULL,
    "severity" TEXT NOT NULL DEFAULT 'normal',
    "branchIds" TEXT NOT NULL,
    "communityIds" TEXT NOT NULL,
    "stationIds" TEXT NOT NULL,
    "expectedAt" TIMESTAMP(3),
    "resolveDueAt" TIMESTAMP(3) NOT NULL,
    "declaredBy" TEXT NOT NULL,
    "declaredAt" TIMESTAMP(3) NOT NULL,
    "restoredAt" TIMESTAMP(3),
    "restoredBy" TEXT,
    "proposalKey" TEXT,
    "linkedCount" INTEGER NOT NULL DEFAULT 0,
    "version" INTEGER NOT NULL DEFAULT 0,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Incident_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "IncidentArea" (
    "id" SERIAL NOT NULL,
    "incidentId" INTEGER NOT NULL,
    "communityId" TEXT NOT NULL,
    "openCommunity" TEXT,

    CONSTRAINT "IncidentArea_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "IncidentEvent" (
    "id" SERIAL NOT NULL,
    "incidentId" INTEGER NOT NULL,
    "at" TIMESTAMP(3) NOT NULL,
    "type" TEXT NOT NULL,
    "actor" TEXT NOT NULL,
    "note" TEXT,
    "data" TEXT,

    CONSTRAINT "IncidentEvent_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "IncidentCard" (
    "id" SERIAL NOT NULL,
    "incidentId" INTEGER NOT NULL,
    "channel" TEXT NOT NULL,
    "ts" TEXT NOT NULL,

    CONSTRAINT "IncidentCard_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "DutyAssignment" (
    "id" SERIAL NOT NULL,
    "branchId" TEXT,
    "unitId" TEXT,
    "staffId" TEXT NOT NULL,
    "from" TIMESTAMP(3) NOT NULL,
    "until" TIMESTAMP(3),
    "source" TEXT NOT NULL,
    "handoverId" INTEGER,

    CONSTRAINT "DutyAssignment_pkey" PRIMARY KEY ("id")
);

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

-- CreateIndex
CREATE INDEX "OutboxMessage_state_platform_priority_id_idx" ON "OutboxMessage"("state", "platform", "priority", "id");

