-- Create "api_clients" table
CREATE TABLE `api_clients` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `client_id` text NOT NULL, `secret_hash` text NOT NULL, `name` text NOT NULL, `scopes` json NOT NULL, `revoked` bool NOT NULL DEFAULT (false), `created_at` datetime NOT NULL, `tenant_id` uuid NULL, CONSTRAINT `api_clients_tenants_tenant` FOREIGN KEY (`tenant_id`) REFERENCES `tenants` (`id`) ON DELETE SET NULL);
-- Create index "api_clients_client_id_key" to table: "api_clients"
CREATE UNIQUE INDEX `api_clients_client_id_key` ON `api_clients` (`client_id`);
-- Create "audit_entries" table
CREATE TABLE `audit_entries` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `actor` text NOT NULL, `at` datetime NOT NULL, `old_enabled` bool NULL, `old_retention_months` integer NULL, `new_enabled` bool NOT NULL, `new_retention_months` integer NOT NULL, `tenant_id` uuid NOT NULL, CONSTRAINT `audit_entries_tenants_tenant` FOREIGN KEY (`tenant_id`) REFERENCES `tenants` (`id`) ON DELETE NO ACTION);
-- Create index "auditentry_tenant_id_at" to table: "audit_entries"
CREATE INDEX `auditentry_tenant_id_at` ON `audit_entries` (`tenant_id`, `at`);
-- Create "conversations" table
CREATE TABLE `conversations` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `external_id` text NOT NULL, `session_id` text NOT NULL, `channel` text NOT NULL, `language` text NOT NULL, `project_name` text NOT NULL, `started_at` datetime NOT NULL, `ended_at` datetime NULL, `status` text NOT NULL, `updated_at` datetime NOT NULL, `tenant_id` uuid NOT NULL, CONSTRAINT `conversations_tenants_tenant` FOREIGN KEY (`tenant_id`) REFERENCES `tenants` (`id`) ON DELETE NO ACTION);
-- Create index "conversation_tenant_id_external_id" to table: "conversations"
CREATE UNIQUE INDEX `conversation_tenant_id_external_id` ON `conversations` (`tenant_id`, `external_id`);
-- Create index "conversation_tenant_id_started_at_external_id" to table: "conversations"
CREATE INDEX `conversation_tenant_id_started_at_external_id` ON `conversations` (`tenant_id`, `started_at`, `external_id`);
-- Create "messages" table
CREATE TABLE `messages` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `external_id` text NOT NULL, `sent_at` datetime NOT NULL, `sender` text NOT NULL, `text` text NOT NULL, `intent` text NULL, `confidence` real NULL, `conversation_id` integer NOT NULL, `tenant_id` uuid NOT NULL, CONSTRAINT `messages_conversations_messages` FOREIGN KEY (`conversation_id`) REFERENCES `conversations` (`id`) ON DELETE CASCADE, CONSTRAINT `messages_tenants_tenant` FOREIGN KEY (`tenant_id`) REFERENCES `tenants` (`id`) ON DELETE NO ACTION);
-- Create index "message_conversation_id_sent_at_external_id" to table: "messages"
CREATE INDEX `message_conversation_id_sent_at_external_id` ON `messages` (`conversation_id`, `sent_at`, `external_id`);
-- Create "report_chunks" table
CREATE TABLE `report_chunks` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `day` text NOT NULL, `hour` integer NOT NULL, `status` text NOT NULL DEFAULT ('pending'), `data_version` integer NOT NULL DEFAULT (0), `built_version` integer NOT NULL DEFAULT (-1), `run_id` text NOT NULL DEFAULT (''), `attempts` integer NOT NULL DEFAULT (0), `conversation_count` integer NOT NULL DEFAULT (0), `message_count` integer NOT NULL DEFAULT (0), `size_bytes` integer NOT NULL DEFAULT (0), `sha256` text NOT NULL DEFAULT (''), `generated_at` datetime NULL, `last_error` text NOT NULL DEFAULT (''), `updated_at` datetime NOT NULL, `tenant_id` uuid NOT NULL, CONSTRAINT `report_chunks_tenants_tenant` FOREIGN KEY (`tenant_id`) REFERENCES `tenants` (`id`) ON DELETE NO ACTION);
-- Create index "reportchunk_tenant_id_day_hour" to table: "report_chunks"
CREATE UNIQUE INDEX `reportchunk_tenant_id_day_hour` ON `report_chunks` (`tenant_id`, `day`, `hour`);
-- Create index "reportchunk_run_id_status" to table: "report_chunks"
CREATE INDEX `reportchunk_run_id_status` ON `report_chunks` (`run_id`, `status`);
-- Create index "reportchunk_day_status" to table: "report_chunks"
CREATE INDEX `reportchunk_day_status` ON `report_chunks` (`day`, `status`);
-- Create "tenants" table
CREATE TABLE `tenants` (`id` uuid NOT NULL, `name` text NOT NULL, `report_enabled` bool NOT NULL DEFAULT (false), `retention_months` integer NOT NULL DEFAULT (1), `created_at` datetime NOT NULL, PRIMARY KEY (`id`));
