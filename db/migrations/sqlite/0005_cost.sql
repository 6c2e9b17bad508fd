CREATE TABLE `model_prices` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`model` text NOT NULL,
	`input_per_mtok` real NOT NULL,
	`output_per_mtok` real NOT NULL,
	`cached_input_per_mtok` real NOT NULL,
	`cache_write_per_mtok` real NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `model_prices_model_unique` ON `model_prices` (`model`);--> statement-breakpoint
DROP INDEX `hourly_stats_hour_group_uq`;--> statement-breakpoint
ALTER TABLE `hourly_stats` ADD `access_key_id` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `hourly_stats` ADD `model` text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE `hourly_stats` ADD `cost_micros` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
CREATE UNIQUE INDEX `hourly_stats_hour_group_key_model_uq` ON `hourly_stats` (`hour`,`group_id`,`access_key_id`,`model`);--> statement-breakpoint
CREATE INDEX `hourly_stats_access_key_hour_idx` ON `hourly_stats` (`access_key_id`,`hour`);--> statement-breakpoint
ALTER TABLE `request_logs` ADD `access_key_id` integer;--> statement-breakpoint
ALTER TABLE `request_logs` ADD `cost_micros` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `request_logs` ADD `priced` integer DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE `request_logs` ADD `cached_tokens` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `request_logs` ADD `cache_write_tokens` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
CREATE INDEX `request_logs_access_key_id_idx` ON `request_logs` (`access_key_id`);