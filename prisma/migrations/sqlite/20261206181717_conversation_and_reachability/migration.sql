-- AlterTable
ALTER TABLE "Resident" ADD COLUMN "menuShownAt" DATETIME;
ALTER TABLE "Resident" ADD COLUMN "phone" TEXT;
ALTER TABLE "Resident" ADD COLUMN "unreachableAt" DATETIME;

-- CreateTable
CREATE TABLE "Conversation" (
    "key" TEXT NOT NULL PRIMARY KEY,
    "value" TEXT NOT NULL,
    "expiresAt" DATETIME,
    "updatedAt" DATETIME NOT NULL
);

-- CreateIndex
CREATE INDEX "Conversation_expiresAt_idx" ON "Conversation"("expiresAt");

-- CreateIndex
CREATE INDEX "SlackCard_channel_ts_idx" ON "SlackCard"("channel", "ts");

