-- CreateTable
CREATE TABLE "Deadline" (
    "id" SERIAL NOT NULL,
    "ticketId" INTEGER NOT NULL,
    "name" TEXT NOT NULL,
    "generation" INTEGER NOT NULL DEFAULT 0,
    "startedAt" TIMESTAMP(3) NOT NULL,
    "dueAt" TIMESTAMP(3) NOT NULL,
    "metAt" TIMESTAMP(3),
    "missedAt" TIMESTAMP(3),
    "supersededAt" TIMESTAMP(3),

    CONSTRAINT "Deadline_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "Deadline_ticketId_name_generation_key" ON "Deadline"("ticketId", "name", "generation");


-- Existing tickets get their deadlines as rows: generation 0, one per due time they have,
-- started when the ticket was dispatched (or filed). The step times tell which were met (a
-- resolve meets every deadline still open); the deadline's own overdue event, fired at or after
-- its due time, tells when it was missed (a ticket keeps only its first overdue time, which
-- cannot tell which of its deadlines it was). A withdrawn ticket's unmet deadlines end when it
-- was cancelled.
INSERT INTO "Deadline" ("ticketId", "name", "generation", "startedAt", "dueAt", "metAt", "missedAt", "supersededAt")
SELECT d."ticketId", d."name", 0, d."startedAt", d."dueAt", d."metAt",
       CASE WHEN d."metAt" IS NULL OR d."metAt" > d."dueAt" THEN (
         SELECT MIN(e."at") FROM "TicketEvent" e
          WHERE e."ticketId" = d."ticketId" AND e."type" = 'overdue' AND e."note" = d."name" AND e."at" >= d."dueAt")
       END,
       CASE WHEN d."metAt" IS NULL THEN d."cancelledAt" END
  FROM (
    SELECT t."id" AS "ticketId", 'ack' AS "name", COALESCE(t."dispatchedAt", t."createdAt") AS "startedAt", t."ackDueAt" AS "dueAt",
           COALESCE(t."acceptedAt", t."resolvedAt") AS "metAt", t."cancelledAt" AS "cancelledAt"
      FROM "Ticket" t WHERE t."ackDueAt" IS NOT NULL
    UNION ALL
    SELECT t."id", 'arrive', COALESCE(t."dispatchedAt", t."createdAt"), t."arriveDueAt", COALESCE(t."arrivedAt", t."resolvedAt"), t."cancelledAt"
      FROM "Ticket" t WHERE t."arriveDueAt" IS NOT NULL
    UNION ALL
    SELECT t."id", 'resolve', COALESCE(t."dispatchedAt", t."createdAt"), t."resolveDueAt", t."resolvedAt", t."cancelledAt"
      FROM "Ticket" t WHERE t."resolveDueAt" IS NOT NULL
  ) d;
