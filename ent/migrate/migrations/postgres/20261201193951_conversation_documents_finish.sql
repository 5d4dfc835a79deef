-- Drop "messages" table (ent never drops a table: written by hand); their conversations hold them now
DROP TABLE "messages";
-- Modify "conversations" table
ALTER TABLE "conversations" DROP COLUMN "session_id", DROP COLUMN "channel", DROP COLUMN "language", DROP COLUMN "project_name", DROP COLUMN "ended_at", DROP COLUMN "status", ALTER COLUMN "message_count" SET NOT NULL, ALTER COLUMN "document" SET NOT NULL;
