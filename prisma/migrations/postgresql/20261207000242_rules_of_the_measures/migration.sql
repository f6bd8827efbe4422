-- AlterTable
ALTER TABLE "Ticket" ADD COLUMN     "repeatOfId" INTEGER;

-- AlterTable
ALTER TABLE "ServiceForm" ADD COLUMN     "hqReturnedBy" TEXT;

-- AlterTable
ALTER TABLE "Callback" ADD COLUMN     "lastAttemptAt" TIMESTAMP(3);

-- CreateTable
CREATE TABLE "KpiSnapshot" (
    "id" SERIAL NOT NULL,
    "periodKey" TEXT NOT NULL,
    "from" TIMESTAMP(3) NOT NULL,
    "to" TIMESTAMP(3) NOT NULL,
    "data" TEXT NOT NULL,
    "closedAt" TIMESTAMP(3) NOT NULL,
    "closedBy" TEXT NOT NULL,

    CONSTRAINT "KpiSnapshot_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "KpiAdjustment" (
    "id" SERIAL NOT NULL,
    "periodKey" TEXT NOT NULL,
    "ticketId" INTEGER NOT NULL,
    "branchId" TEXT,
    "action" TEXT NOT NULL,
    "actor" TEXT NOT NULL,
    "reason" TEXT NOT NULL,
    "at" TIMESTAMP(3) NOT NULL,
    "data" TEXT,

    CONSTRAINT "KpiAdjustment_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ConductFinding" (
    "id" SERIAL NOT NULL,
    "ticketId" INTEGER NOT NULL,
    "staffId" TEXT NOT NULL,
    "branchId" TEXT,
    "finding" TEXT NOT NULL,
    "consequence" TEXT NOT NULL,
    "month" TEXT NOT NULL,
    "evidence" TEXT NOT NULL,
    "foundBy" TEXT NOT NULL,
    "foundAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "ConductFinding_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "TrainingPlanItem" (
    "id" SERIAL NOT NULL,
    "year" INTEGER NOT NULL,
    "branchId" TEXT NOT NULL DEFAULT '',
    "topic" TEXT NOT NULL,
    "month" INTEGER NOT NULL,
    "createdBy" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "TrainingPlanItem_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "TrainingSession" (
    "id" SERIAL NOT NULL,
    "topic" TEXT NOT NULL,
    "date" TEXT NOT NULL,
    "year" INTEGER NOT NULL,
    "trainer" TEXT NOT NULL,
    "branchId" TEXT NOT NULL DEFAULT '',
    "note" TEXT,
    "createdBy" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "TrainingSession_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "TrainingAttendance" (
    "id" SERIAL NOT NULL,
    "sessionId" INTEGER NOT NULL,
    "staffId" TEXT NOT NULL,
    "year" INTEGER NOT NULL,

    CONSTRAINT "TrainingAttendance_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Quote" (
    "id" SERIAL NOT NULL,
    "number" TEXT NOT NULL,
    "ticketId" INTEGER NOT NULL,
    "branchId" TEXT NOT NULL,
    "items" TEXT NOT NULL,
    "totalCents" INTEGER NOT NULL,
    "note" TEXT,
    "status" TEXT NOT NULL,
    "validUntil" TIMESTAMP(3) NOT NULL,
    "createdBy" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL,
    "answeredAt" TIMESTAMP(3),
    "answeredBy" TEXT,
    "paidTicketId" INTEGER,

    CONSTRAINT "Quote_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "KpiSnapshot_periodKey_key" ON "KpiSnapshot"("periodKey");

-- CreateIndex
CREATE INDEX "KpiAdjustment_periodKey_at_idx" ON "KpiAdjustment"("periodKey", "at");

-- CreateIndex
CREATE INDEX "KpiAdjustment_ticketId_idx" ON "KpiAdjustment"("ticketId");

-- CreateIndex
CREATE UNIQUE INDEX "ConductFinding_ticketId_key" ON "ConductFinding"("ticketId");

-- CreateIndex
CREATE INDEX "ConductFinding_staffId_foundAt_idx" ON "ConductFinding"("staffId", "foundAt");

-- CreateIndex
CREATE INDEX "ConductFinding_month_idx" ON "ConductFinding"("month");

-- CreateIndex
CREATE UNIQUE INDEX "TrainingPlanItem_year_branchId_topic_key" ON "TrainingPlanItem"("year", "branchId", "topic");

-- CreateIndex
CREATE INDEX "TrainingSession_year_idx" ON "TrainingSession"("year");

-- CreateIndex
CREATE UNIQUE INDEX "TrainingSession_topic_date_trainer_branchId_key" ON "TrainingSession"("topic", "date", "trainer", "branchId");

-- CreateIndex
CREATE INDEX "TrainingAttendance_staffId_year_idx" ON "TrainingAttendance"("staffId", "year");

-- CreateIndex
CREATE UNIQUE INDEX "TrainingAttendance_sessionId_staffId_key" ON "TrainingAttendance"("sessionId", "staffId");

-- CreateIndex
CREATE UNIQUE INDEX "Quote_number_key" ON "Quote"("number");

-- CreateIndex
CREATE INDEX "Quote_ticketId_idx" ON "Quote"("ticketId");

-- CreateIndex
CREATE INDEX "Quote_status_validUntil_idx" ON "Quote"("status", "validUntil");

-- CreateIndex
CREATE INDEX "Ticket_customerId_category_createdAt_idx" ON "Ticket"("customerId", "category", "createdAt");

-- AddForeignKey
ALTER TABLE "TrainingAttendance" ADD CONSTRAINT "TrainingAttendance_sessionId_fkey" FOREIGN KEY ("sessionId") REFERENCES "TrainingSession"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

