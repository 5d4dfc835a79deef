-- Modify "conversations" table
ALTER TABLE "conversations" ADD COLUMN "message_count" bigint NULL, ADD COLUMN "document" text NULL;
