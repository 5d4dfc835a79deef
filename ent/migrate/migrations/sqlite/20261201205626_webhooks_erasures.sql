-- Create "erasures" table
CREATE TABLE `erasures` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `conversation_id` text NOT NULL, `actor` text NOT NULL, `at` datetime NOT NULL, `day` text NOT NULL, `hour` integer NOT NULL, `done_at` datetime NULL, `tenant_id` uuid NOT NULL, CONSTRAINT `erasures_tenants_tenant` FOREIGN KEY (`tenant_id`) REFERENCES `tenants` (`id`) ON DELETE CASCADE);
-- Create index "erasure_tenant_id_at" to table: "erasures"
CREATE INDEX `erasure_tenant_id_at` ON `erasures` (`tenant_id`, `at`);
-- Create index "erasure_tenant_id_conversation_id" to table: "erasures"
CREATE INDEX `erasure_tenant_id_conversation_id` ON `erasures` (`tenant_id`, `conversation_id`);
-- Create index "erasure_done_at" to table: "erasures"
CREATE INDEX `erasure_done_at` ON `erasures` (`done_at`);
-- Create "webhooks" table
CREATE TABLE `webhooks` (`id` uuid NOT NULL, `url` text NOT NULL, `events` json NOT NULL, `secret` blob NOT NULL, `created_at` datetime NOT NULL, `tenant_id` uuid NULL, PRIMARY KEY (`id`), CONSTRAINT `webhooks_tenants_tenant` FOREIGN KEY (`tenant_id`) REFERENCES `tenants` (`id`) ON DELETE CASCADE);
-- Create "webhook_attempts" table
CREATE TABLE `webhook_attempts` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `attempt` integer NOT NULL, `at` datetime NOT NULL, `response_status` integer NULL, `error` text NOT NULL DEFAULT (''), `duration_ms` integer NOT NULL, `delivery_id` uuid NOT NULL, CONSTRAINT `webhook_attempts_webhook_deliveries_attempts` FOREIGN KEY (`delivery_id`) REFERENCES `webhook_deliveries` (`id`) ON DELETE CASCADE);
-- Create index "webhookattempt_delivery_id_attempt" to table: "webhook_attempts"
CREATE UNIQUE INDEX `webhookattempt_delivery_id_attempt` ON `webhook_attempts` (`delivery_id`, `attempt`);
-- Create "webhook_deliveries" table
CREATE TABLE `webhook_deliveries` (`id` uuid NOT NULL, `event_id` text NOT NULL, `type` text NOT NULL, `tenant_id` uuid NULL, `payload` text NOT NULL, `status` text NOT NULL DEFAULT ('PENDING'), `attempt` integer NOT NULL DEFAULT (0), `next_attempt_at` datetime NULL, `lease_until` datetime NULL, `response_status` integer NULL, `created_at` datetime NOT NULL, `at` datetime NOT NULL, `webhook_id` uuid NOT NULL, PRIMARY KEY (`id`), CONSTRAINT `webhook_deliveries_webhooks_deliveries` FOREIGN KEY (`webhook_id`) REFERENCES `webhooks` (`id`) ON DELETE CASCADE);
-- Create index "webhookdelivery_webhook_id_event_id" to table: "webhook_deliveries"
CREATE UNIQUE INDEX `webhookdelivery_webhook_id_event_id` ON `webhook_deliveries` (`webhook_id`, `event_id`);
-- Create index "webhookdelivery_webhook_id_created_at" to table: "webhook_deliveries"
CREATE INDEX `webhookdelivery_webhook_id_created_at` ON `webhook_deliveries` (`webhook_id`, `created_at`);
-- Create index "webhookdelivery_status_next_attempt_at" to table: "webhook_deliveries"
CREATE INDEX `webhookdelivery_status_next_attempt_at` ON `webhook_deliveries` (`status`, `next_attempt_at`);
