-- Drop "messages" table (ent never drops a table: written by hand); their conversations hold them now
DROP TABLE `messages`;
-- Disable the enforcement of foreign-keys constraints
PRAGMA foreign_keys = off;
-- Create "new_conversations" table
CREATE TABLE `new_conversations` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `external_id` text NOT NULL, `started_at` datetime NOT NULL, `updated_at` datetime NOT NULL, `message_count` integer NOT NULL, `document` text NOT NULL, `tenant_id` uuid NOT NULL, CONSTRAINT `conversations_tenants_tenant` FOREIGN KEY (`tenant_id`) REFERENCES `tenants` (`id`) ON DELETE NO ACTION);
-- Copy rows from old table "conversations" to new temporary table "new_conversations"
INSERT INTO `new_conversations` (`id`, `external_id`, `started_at`, `updated_at`, `message_count`, `document`, `tenant_id`) SELECT `id`, `external_id`, `started_at`, `updated_at`, `message_count`, `document`, `tenant_id` FROM `conversations`;
-- Drop "conversations" table after copying rows
DROP TABLE `conversations`;
-- Rename temporary table "new_conversations" to "conversations"
ALTER TABLE `new_conversations` RENAME TO `conversations`;
-- Create index "conversation_tenant_id_external_id" to table: "conversations"
CREATE UNIQUE INDEX `conversation_tenant_id_external_id` ON `conversations` (`tenant_id`, `external_id`);
-- Create index "conversation_tenant_id_started_at_external_id" to table: "conversations"
CREATE INDEX `conversation_tenant_id_started_at_external_id` ON `conversations` (`tenant_id`, `started_at`, `external_id`);
-- Enable back the enforcement of foreign-keys constraints
PRAGMA foreign_keys = on;
