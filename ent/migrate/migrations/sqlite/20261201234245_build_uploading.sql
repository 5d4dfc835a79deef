-- Disable the enforcement of foreign-keys constraints
PRAGMA foreign_keys = off;
-- Create "new_report_chunks" table
CREATE TABLE `new_report_chunks` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `day` text NOT NULL, `hour` integer NOT NULL, `status` text NOT NULL DEFAULT ('pending'), `data_version` integer NOT NULL DEFAULT (0), `built_version` integer NOT NULL DEFAULT (-1), `run_id` text NOT NULL DEFAULT (''), `attempts` integer NOT NULL DEFAULT (0), `conversation_count` integer NOT NULL DEFAULT (0), `message_count` integer NOT NULL DEFAULT (0), `size_bytes` integer NOT NULL DEFAULT (0), `sha256` text NOT NULL DEFAULT (''), `generated_at` datetime NULL, `last_error` text NOT NULL DEFAULT (''), `updated_at` datetime NOT NULL, `build_owner` text NOT NULL DEFAULT (''), `build_version` integer NOT NULL DEFAULT (0), `build_expires_at` datetime NULL, `build_uploading` bool NOT NULL DEFAULT (false), `tenant_id` uuid NOT NULL, CONSTRAINT `report_chunks_tenants_tenant` FOREIGN KEY (`tenant_id`) REFERENCES `tenants` (`id`) ON DELETE NO ACTION);
-- Copy rows from old table "report_chunks" to new temporary table "new_report_chunks"
INSERT INTO `new_report_chunks` (`id`, `day`, `hour`, `status`, `data_version`, `built_version`, `run_id`, `attempts`, `conversation_count`, `message_count`, `size_bytes`, `sha256`, `generated_at`, `last_error`, `updated_at`, `build_owner`, `build_version`, `build_expires_at`, `tenant_id`) SELECT `id`, `day`, `hour`, `status`, `data_version`, `built_version`, `run_id`, `attempts`, `conversation_count`, `message_count`, `size_bytes`, `sha256`, `generated_at`, `last_error`, `updated_at`, `build_owner`, `build_version`, `build_expires_at`, `tenant_id` FROM `report_chunks`;
-- Drop "report_chunks" table after copying rows
DROP TABLE `report_chunks`;
-- Rename temporary table "new_report_chunks" to "report_chunks"
ALTER TABLE `new_report_chunks` RENAME TO `report_chunks`;
-- Create index "reportchunk_tenant_id_day_hour" to table: "report_chunks"
CREATE UNIQUE INDEX `reportchunk_tenant_id_day_hour` ON `report_chunks` (`tenant_id`, `day`, `hour`);
-- Create index "reportchunk_run_id_status" to table: "report_chunks"
CREATE INDEX `reportchunk_run_id_status` ON `report_chunks` (`run_id`, `status`);
-- Create index "reportchunk_day_status" to table: "report_chunks"
CREATE INDEX `reportchunk_day_status` ON `report_chunks` (`day`, `status`);
-- Enable back the enforcement of foreign-keys constraints
PRAGMA foreign_keys = on;
