-- Add column "revoked_at" to table: "api_clients"
ALTER TABLE `api_clients` ADD COLUMN `revoked_at` datetime NULL;
-- Add column "last_used_at" to table: "api_clients"
ALTER TABLE `api_clients` ADD COLUMN `last_used_at` datetime NULL;
-- Create index "apiclient_tenant_id_created_at" to table: "api_clients"
CREATE INDEX `apiclient_tenant_id_created_at` ON `api_clients` (`tenant_id`, `created_at`);
-- Create index "apiclient_created_at" to table: "api_clients"
CREATE INDEX `apiclient_created_at` ON `api_clients` (`created_at`);
-- Create "generation_passes" table
CREATE TABLE `generation_passes` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `attempt` integer NOT NULL, `chunks` integer NOT NULL DEFAULT (0), `stored` integer NOT NULL DEFAULT (0), `failed` integer NOT NULL DEFAULT (0), `started_at` datetime NOT NULL, `finished_at` datetime NULL, `run_id` uuid NOT NULL, CONSTRAINT `generation_passes_generation_runs_passes` FOREIGN KEY (`run_id`) REFERENCES `generation_runs` (`id`) ON DELETE NO ACTION);
-- Create index "generationpass_run_id_attempt" to table: "generation_passes"
CREATE UNIQUE INDEX `generationpass_run_id_attempt` ON `generation_passes` (`run_id`, `attempt`);
-- Create "generation_runs" table
CREATE TABLE `generation_runs` (`id` uuid NOT NULL, `key` text NOT NULL, `day` text NOT NULL, `trigger` text NOT NULL, `status` text NOT NULL DEFAULT ('running'), `started_at` datetime NOT NULL, `finished_at` datetime NULL, `tenants` integer NOT NULL DEFAULT (0), `chunks` integer NOT NULL DEFAULT (0), `stored` integer NOT NULL DEFAULT (0), `failed` integer NOT NULL DEFAULT (0), PRIMARY KEY (`id`));
-- Create index "generation_runs_key_key" to table: "generation_runs"
CREATE UNIQUE INDEX `generation_runs_key_key` ON `generation_runs` (`key`);
-- Create index "generationrun_started_at" to table: "generation_runs"
CREATE INDEX `generationrun_started_at` ON `generation_runs` (`started_at`);
-- Create index "generationrun_day_started_at" to table: "generation_runs"
CREATE INDEX `generationrun_day_started_at` ON `generation_runs` (`day`, `started_at`);
-- Clients revoked before the time was recorded: their creation time stands in
UPDATE `api_clients` SET `revoked_at` = `created_at` WHERE `revoked`;
