-- Add column "message_count" to table: "conversations"
ALTER TABLE `conversations` ADD COLUMN `message_count` integer NULL;
-- Add column "document" to table: "conversations"
ALTER TABLE `conversations` ADD COLUMN `document` text NULL;
