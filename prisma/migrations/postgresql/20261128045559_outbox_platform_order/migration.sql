-- CreateIndex
CREATE INDEX "OutboxMessage_state_platform_id_idx" ON "OutboxMessage"("state", "platform", "id");

