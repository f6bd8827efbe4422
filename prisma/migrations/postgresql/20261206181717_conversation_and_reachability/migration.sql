-- AlterTable
ALTER TABLE "Resident" ADD COLUMN     "menuShownAt" TIMESTAMP(3),
ADD COLUMN     "phone" TEXT,
ADD COLUMN     "unreachableAt" TIMESTAMP(3);

-- CreateTable
CREATE TABLE "Conversation" (
    "key" TEXT NOT NULL,
    "value" TEXT NOT NULL,
    "expiresAt" TIMESTAMP(3),
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Conversation_pkey" PRIMARY KEY ("key")
);

-- CreateIndex
CREATE INDEX "Conversation_expiresAt_idx" ON "Conversation"("expiresAt");

-- CreateIndex
CREATE INDEX "SlackCard_channel_ts_idx" ON "SlackCard"("channel", "ts");

